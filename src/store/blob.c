/*
 * blob.c - the content-addressed byte store (see blob.h). The order of
 * writes is what makes it safe to kill at any instant:
 * - a chunk is written at the part file's end and fdatasync'd before the
 *   caller records its new length (so a recorded length never runs past
 *   durable bytes; bytes past it are cut on the next open);
 * - a complete file is renamed into place, then the file and both
 *   directories are fsync'd, before the caller writes its row (so a row
 *   never names a blob a power cut could lose). A crash after the rename
 *   and before the row leaves a blob nobody names: invisible (every read
 *   goes through a row), adopted when the same bytes come again, and
 *   removed by the sweep after an hour.
 */
#include "store/blob.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int hex_of_len(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

int blob_sha_valid(const char *s)
{
	return hex_of_len(s, 64);
}

int blob_id_valid(const char *s)
{
	return hex_of_len(s, 32);
}

static int io_fail(mc_err *e, const char *what, const char *path)
{
	int err = errno;
	return mc_fail(e, MCE_STORE_IO, "lỗi ghi đọc tệp khi %s '%s': %s", "cannot %s '%s': %s",
		       what, path, strerror(err));
}

static int sync_dir(const char *path, mc_err *e)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return io_fail(e, "open directory", path);
	int rc = fsync(fd) == 0 ? MC_OK : io_fail(e, "sync directory", path);
	close(fd);
	return rc;
}

static int make_dir(const char *path, mc_err *e)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return MC_OK;
	return io_fail(e, "create directory", path);
}

int blob_init(const char *dir, mc_err *e)
{
	char p[600];
	snprintf(p, sizeof p, "%s/files", dir);
	int rc = make_dir(p, e);
	snprintf(p, sizeof p, "%s/files/tmp", dir);
	return rc ? rc : make_dir(p, e);
}

void blob_path(const char *dir, const char *sha, char *out, size_t size)
{
	snprintf(out, size, "%s/files/%.2s/%s", dir, sha, sha + 2);
}

int blob_part_open(const char *dir, const char *id, int create, blob_part *p, mc_err *e)
{
	memset(p, 0, sizeof *p);
	p->fd = -1;
	if (!blob_id_valid(id))
		return mc_fail(e, MCE_UPLOAD_NOT_FOUND, "mã lượt tải lên không hợp lệ",
			       "bad upload id");
	int rc = create ? blob_init(dir, e) : MC_OK;
	if (rc)
		return rc;
	snprintf(p->path, sizeof p->path, "%s/files/tmp/%s.part", dir, id);
	struct stat sb, now;
	for (;;) {
		p->fd = open(p->path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
		if (p->fd < 0)
			return errno == ENOENT ? MC_ENOTFOUND : io_fail(e, "open", p->path);
		if (flock(p->fd, LOCK_EX) != 0 || fstat(p->fd, &sb) != 0)
			return io_fail(e, "lock", p->path);
		/* The holder before us may have removed or renamed the file
		 * while we waited: then our descriptor names a file no one
		 * will read. Open the name again. */
		if (stat(p->path, &now) == 0 && now.st_ino == sb.st_ino && now.st_dev == sb.st_dev)
			break;
		close(p->fd);
		p->fd = -1;
	}
	p->size = sb.st_size;
	if (create && sb.st_size == 0) {
		/* A new name in tmp: durable before the row that counts on it. */
		char d[600];
		snprintf(d, sizeof d, "%s/files/tmp", dir);
		rc = sync_dir(d, e);
	}
	return rc;
}

int blob_part_truncate(blob_part *p, int64_t size, mc_err *e)
{
	if (ftruncate(p->fd, size) != 0 || fdatasync(p->fd) != 0)
		return io_fail(e, "truncate", p->path);
	p->size = size;
	return MC_OK;
}

int blob_part_append(blob_part *p, int64_t offset, const void *data, size_t n, mc_err *e)
{
	if (offset != p->size)
		return mc_fail(e, MCE_UPLOAD_BAD_OFFSET, "phần gửi lên bắt đầu ở %lld, cần ở %lld",
			       "the chunk starts at %lld, expected %lld", (long long)offset,
			       (long long)p->size);
	const char *b = data;
	size_t done = 0;
	while (done < n) {
		ssize_t w = pwrite(p->fd, b + done, n - done, (off_t)(offset + (int64_t)done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (done == n && fdatasync(p->fd) == 0) {
		p->size += (int64_t)n;
		return MC_OK;
	}
	int rc = io_fail(e, "write", p->path);
	if (ftruncate(p->fd, offset) != 0) {
		/* The next open cuts it to the recorded length anyway. */
	}
	return rc;
}

int blob_part_map(blob_part *p, mc_err *e)
{
	if (p->map || p->size == 0)
		return MC_OK;
	void *m = mmap(NULL, (size_t)p->size, PROT_READ, MAP_SHARED, p->fd, 0);
	if (m == MAP_FAILED)
		return io_fail(e, "map", p->path);
	p->map = m;
	p->wmap = m;
	p->map_len = (size_t)p->size;
	return MC_OK;
}

int blob_part_hash(blob_part *p, char hex[65], mc_err *e)
{
	int rc = blob_part_map(p, e);
	if (rc)
		return rc;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, p->map ? p->map : (const unsigned char *)"", p->map_len);
	sodium_bin2hex(hex, 65, h, sizeof h);
	return MC_OK;
}

int blob_part_commit(const char *dir, blob_part *p, const char *sha, int *existed, mc_err *e)
{
	char path[600], sub[600], tmp[600];
	*existed = 0;
	if (!blob_sha_valid(sha))
		return mc_fail(e, MCE_STORE_IO, "mã băm không hợp lệ '%.70s'", "bad hash '%.70s'", sha);
	snprintf(sub, sizeof sub, "%s/files/%.2s", dir, sha);
	snprintf(tmp, sizeof tmp, "%s/files/tmp", dir);
	blob_path(dir, sha, path, sizeof path);
	int rc = make_dir(sub, e);
	if (rc)
		return rc;
	struct stat sb;
	if (stat(path, &sb) == 0 && sb.st_size == p->size) {
		*existed = 1; /* the same bytes, stored before: keep those */
		if (unlink(p->path) != 0)
			return io_fail(e, "remove", p->path);
		return sync_dir(tmp, e);
	}
	if (fsync(p->fd) != 0)
		return io_fail(e, "sync", p->path);
	if (rename(p->path, path) != 0)
		return io_fail(e, "rename", path);
	char parent[600];
	snprintf(parent, sizeof parent, "%s/files", dir);
	rc = sync_dir(sub, e);
	if (!rc)
		rc = sync_dir(parent, e); /* sub itself may be new */
	if (!rc)
		rc = sync_dir(tmp, e);
	return rc;
}

void blob_part_close(blob_part *p)
{
	if (p->map)
		munmap(p->wmap, p->map_len);
	p->map = NULL;
	p->wmap = NULL;
	p->map_len = 0;
	if (p->fd >= 0)
		close(p->fd); /* releases the lock */
	p->fd = -1;
}

int blob_part_remove(const char *dir, const char *id, mc_err *e)
{
	char path[600], tmp[600];
	if (!blob_id_valid(id))
		return MC_OK;
	snprintf(path, sizeof path, "%s/files/tmp/%s.part", dir, id);
	snprintf(tmp, sizeof tmp, "%s/files/tmp", dir);
	if (unlink(path) != 0)
		return errno == ENOENT ? MC_OK : io_fail(e, "remove", path);
	return sync_dir(tmp, e);
}

int blob_stat(const char *dir, const char *sha, int64_t *size, mc_err *e)
{
	char path[600];
	*size = -1;
	if (!blob_sha_valid(sha))
		return MC_OK;
	blob_path(dir, sha, path, sizeof path);
	struct stat sb;
	if (stat(path, &sb) == 0)
		*size = sb.st_size;
	else if (errno != ENOENT)
		return io_fail(e, "stat", path);
	return MC_OK;
}

int blob_read(const char *dir, const char *sha, size_t max, char **data, size_t *len, mc_err *e)
{
	char path[600];
	*data = NULL;
	*len = 0;
	if (!blob_sha_valid(sha))
		return mc_fail(e, MCE_FILE_NOT_FOUND, "không có tệp '%.70s'", "no file '%.70s'", sha);
	blob_path(dir, sha, path, sizeof path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? mc_fail(e, MCE_FILE_NOT_FOUND, "không có tệp '%s'",
						 "no file '%s'", sha)
				       : io_fail(e, "open", path);
	struct stat sb;
	int rc = MC_OK;
	if (fstat(fd, &sb) != 0)
		rc = io_fail(e, "stat", path);
	else if ((uint64_t)sb.st_size > max)
		rc = mc_fail(e, MCE_FILE_TOO_LARGE, "tệp '%s' quá lớn", "file '%s' too large", sha);
	char *buf = rc ? NULL : malloc((size_t)sb.st_size + 1);
	size_t got = 0;
	if (!rc && !buf)
		rc = mc_fail(e, MCE_STORE_IO, "không đủ bộ nhớ", "out of memory");
	while (!rc && got < (size_t)sb.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)sb.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = io_fail(e, "read", path);
		else
			got += (size_t)n;
	}
	close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[got] = 0;
	*data = buf;
	*len = got;
	return MC_OK;
}

int blob_read_range(const char *dir, const char *sha, int64_t offset, size_t max, char **data,
		    size_t *len, mc_err *e)
{
	char path[600];
	*data = NULL;
	*len = 0;
	if (!blob_sha_valid(sha) || offset < 0)
		return mc_fail(e, MCE_FILE_NOT_FOUND, "không có tệp '%.70s'", "no file '%.70s'", sha);
	blob_path(dir, sha, path, sizeof path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? mc_fail(e, MCE_FILE_NOT_FOUND, "không có tệp '%s'",
						 "no file '%s'", sha)
				       : io_fail(e, "open", path);
	char *buf = malloc(max + 1);
	size_t got = 0;
	int rc = buf ? MC_OK : mc_fail(e, MCE_STORE_IO, "không đủ bộ nhớ", "out of memory");
	while (!rc && got < max) {
		ssize_t n = pread(fd, buf + got, max - got, (off_t)(offset + (int64_t)got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = io_fail(e, "read", path);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[got] = 0;
	*data = buf;
	*len = got;
	return MC_OK;
}

int blob_remove(const char *dir, const char *sha, mc_err *e)
{
	char path[600], sub[600];
	if (!blob_sha_valid(sha))
		return MC_OK;
	blob_path(dir, sha, path, sizeof path);
	snprintf(sub, sizeof sub, "%s/files/%.2s", dir, sha);
	if (unlink(path) != 0)
		return errno == ENOENT ? MC_OK : io_fail(e, "remove", path);
	return sync_dir(sub, e);
}

/* One directory of the sweep: tmp (parts) or ab (blobs named ab + rest). */
static int sweep_dir(const char *path, const char *prefix, mc_time now, blob_sweep_cb cb,
		     void *ctx, int *removed, mc_err *e)
{
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT ? MC_OK : io_fail(e, "list", path);
	struct dirent *de;
	int rc = MC_OK, gone = 0;
	while (!rc && (de = readdir(d)) != NULL) {
		char name[80], full[700];
		const char *n = de->d_name;
		int is_part = prefix == NULL;
		if (is_part) {
			size_t len = strlen(n);
			if (len != 37 || strcmp(n + 32, ".part") != 0)
				continue;
			snprintf(name, sizeof name, "%.32s", n);
		} else {
			snprintf(name, sizeof name, "%s%.70s", prefix, n);
		}
		if (is_part ? !blob_id_valid(name) : !blob_sha_valid(name))
			continue;
		snprintf(full, sizeof full, "%s/%s", path, n);
		struct stat sb;
		if (stat(full, &sb) != 0)
			continue;
		if (cb(ctx, is_part, name, now - (int64_t)sb.st_mtime)) {
			if (unlink(full) != 0 && errno != ENOENT)
				rc = io_fail(e, "remove", full);
			else
				gone++;
		}
	}
	closedir(d);
	if (!rc && gone)
		rc = sync_dir(path, e);
	if (removed)
		*removed += gone;
	return rc;
}

int blob_sweep(const char *dir, mc_time now, blob_sweep_cb cb, void *ctx, int *removed,
	       mc_err *e)
{
	char path[600];
	if (removed)
		*removed = 0;
	snprintf(path, sizeof path, "%s/files/tmp", dir);
	int rc = sweep_dir(path, NULL, now, cb, ctx, removed, e);
	static const char hexd[] = "0123456789abcdef";
	for (int i = 0; !rc && i < 256; i++) {
		char pre[3] = { hexd[i >> 4], hexd[i & 15], 0 };
		snprintf(path, sizeof path, "%s/files/%s", dir, pre);
		rc = sweep_dir(path, pre, now, cb, ctx, removed, e);
	}
	return rc;
}
