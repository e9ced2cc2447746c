/*
 * route.c - the route table and the dispatcher. Every endpoint is one row:
 * method, path, handler, who may call it, the largest body it takes, its
 * rate class and whether it reads in one snapshot. The dispatcher decides
 * a request from its head alone (http_admit), so an anonymous or
 * unauthorised client is refused before a byte of its body is kept; the
 * Allow header, the OpenAPI document (openapi.c) and docs/api.md are made
 * from the same rows.
 */
#include "http/http_int.h"

#include <ctype.h>
#include <sodium.h>

#include "app/attach.h"
#include "app/auth.h"
#include "app/files.h"
#include "app/sync.h"
#include "core/txt.h"

#define R_ADMIN ROLE_ADMIN
#define R_RECEIVE (ROLE_RECEPTION | ROLE_ADMIN)
#define R_AUDIT (ROLE_SUPERVISOR | ROLE_ADMIN)
/* The fee book: the cashiers, their leader and the supervisors. */
#define R_FEES (ROLE_RECEPTION | ROLE_LEADER | ROLE_ADMIN | ROLE_SUPERVISOR)
/* Supervision reports: the leaders, the administrator and the supervisors. */
#define R_REPORTS (ROLE_LEADER | ROLE_ADMIN | ROLE_SUPERVISOR)
/* Who assigns tasks: the leaders and the administrator (docs/tasks.md). */
#define R_TASKS (ROLE_LEADER | ROLE_ADMIN)
/* The document registers: the clerk's desk (reception), leaders, the
 * administrator. */
#define R_DOCS (ROLE_RECEPTION | ROLE_LEADER | ROLE_ADMIN)
/* A register entry's JSON: 20 attachments, 100 recipients. */
#define DOC_BODY (256u << 10)
/* Filing a recommendation: the commune's leader or administrator. */
#define R_REC_FILE (ROLE_LEADER | ROLE_ADMIN)
#define SNAP ROUTE_SNAPSHOT
#define NONE HTTP_RATE_NONE

/* Requests one session (or API token) may have in flight: a browser opens
 * at most six connections to a host; more is a script hammering the node. */
#define INFLIGHT_MAX 8
/* Anonymous allowances per address and minute. */
#define PUBLIC_PER_MIN 30
#define SIGNIN_PER_MIN 30

/* Sorted by pattern, then method (a test checks it). */
const http_route http_routes[] = {
	{ "GET", "/api/v1/agencies", h_agencies, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Agencies this node knows",
	  "listAgencies", "reference", NULL, "200:AgencyList" },
	{ "GET", "/api/v1/alerts", h_alerts, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Live alerts: open dossiers near their due time or overdue, by officer and by unit "
	  "(a specialist's own, reception's unassigned, everything for the others)",
	  "getAlerts", "dashboard", NULL, "200:Alerts" },
	{ "GET", "/api/v1/applicants/files", h_applicant_files, R_RECEIVE, 0, NONE, SNAP,
	  "Papers already digitized for an applicant's ID number, to reuse at reception (reception, admin)",
	  "listApplicantFiles", "files", NULL, "200:DossierFileList 400 403" },
	{ "POST", "/api/v1/attachments", h_attach_post, HTTP_OFFICERS, APP_ATTACH_MAX, NONE, 0,
	  "Upload an attachment for an office record (a document's scan, a task's report, a "
	  "recommendation's papers): the raw file as the body, ?filename=; PDF, JPEG, PNG or TIFF, "
	  "at most 20 MiB; the same bytes again answer the same record (any officer)",
	  "uploadAttachment", "files",
	  "application/octet-stream application/pdf image/jpeg image/png image/tiff",
	  "201:Attachment 400 413 415 422" },
	{ "GET", "/api/v1/attachments/{sha256}", h_attach_get, HTTP_OFFICERS, 0, NONE, SNAP,
	  "An attachment's bytes (any officer of this node; on a hub also a commune's attachment "
	  "whose bytes arrived)",
	  "getAttachment", "files", NULL, "200:application/pdf,image/jpeg,image/png,image/tiff 404" },
	{ "GET", "/api/v1/audit", h_audit, R_AUDIT, 0, NONE, SNAP,
	  "The hash-chained event log (supervisor, admin)",
	  "listAuditEvents", "audit", NULL, "200:AuditPage" },
	{ "GET", "/api/v1/calendar/days-off", h_days_off, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Non-working days of a year",
	  "listDaysOff", "calendar", NULL, "200:DaysOff" },
	{ "GET", "/api/v1/calendar/due", h_due, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Due time of a processing time",
	  "computeDue", "calendar", NULL, "200:DueTime" },
	{ "POST", "/api/v1/calendar/import", h_calendar_import, R_ADMIN, HTTP_MAX_UPLOAD, NONE, 0,
	  "Import a days-off schedule (CSV; ?add=true lays days over the current calendar; admin)",
	  "importCalendar", "calendar", "text/csv text/plain", "200:CalendarImport" },
	{ "POST", "/api/v1/catalog/import", h_catalog_import, R_ADMIN, HTTP_MAX_UPLOAD, NONE, 0,
	  "Import procedures (JSON lines, crawl or clean format; admin)",
	  "importCatalog", "procedures", "application/x-ndjson application/jsonl text/plain",
	  "200:CatalogImport" },
	{ "GET", "/api/v1/dashboard", h_dashboard, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Counts for the home screen",
	  "getDashboard", "dashboard", NULL, "200:Dashboard" },
	{ "GET", "/api/v1/documents/in", h_documents, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Search the incoming register (sổ văn bản đến): q ignores diacritics; filters by year, "
	  "type, urgency, secrecy, state, assignee, unit, date received; pages (any officer)",
	  "listIncomingDocuments", "documents", NULL, "200:DocumentPage 400" },
	{ "POST", "/api/v1/documents/in", h_document_create, R_DOCS, DOC_BODY, NONE, 0,
	  "Register an incoming document: its arrival number (số đến) is the next of the year "
	  "unless one is given (reception, leader, admin)",
	  "registerIncomingDocument", "documents", "DocumentInNew", "201:DocumentIn 400 409" },
	{ "GET", "/api/v1/documents/in/{doc}", h_document, HTTP_OFFICERS, 0, NONE, SNAP,
	  "One incoming document (a confidential one's excerpt only for leaders, admins and its "
	  "assignee)",
	  "getIncomingDocument", "documents", NULL, "200:DocumentIn 404" },
	{ "PATCH", "/api/v1/documents/in/{doc}", h_document_update, HTTP_STAFF, DOC_BODY, NONE, 0,
	  "Change, assign or mark done an incoming document (reception, leader, admin; the "
	  "assignee marks it done)",
	  "updateIncomingDocument", "documents", "DocumentInPatch", "200:DocumentIn 400 403 404" },
	{ "GET", "/api/v1/documents/out", h_documents, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Search the outgoing register (sổ văn bản đi): q ignores diacritics; filters by year, "
	  "type, urgency, secrecy, drafting unit, the document's date; pages (any officer)",
	  "listOutgoingDocuments", "documents", NULL, "200:DocumentPage 400" },
	{ "POST", "/api/v1/documents/out", h_document_create, R_DOCS, DOC_BODY, NONE, 0,
	  "Register an outgoing document: its number is the next of the year and type unless one "
	  "is given, its symbol (15/QĐ-UBND, 15/UBND-VP) is made from it (reception, leader, admin)",
	  "registerOutgoingDocument", "documents", "DocumentOutNew", "201:DocumentOut 400 409" },
	{ "GET", "/api/v1/documents/out/{doc}", h_document, HTTP_OFFICERS, 0, NONE, SNAP,
	  "One outgoing document (a confidential one's excerpt only for leaders and admins)",
	  "getOutgoingDocument", "documents", NULL, "200:DocumentOut 404" },
	{ "PATCH", "/api/v1/documents/out/{doc}", h_document_update, R_DOCS, DOC_BODY, NONE, 0,
	  "Change an outgoing document's entry: excerpt, signer, recipients, copies, marks, "
	  "scans, note, date within its year (reception, leader, admin)",
	  "updateOutgoingDocument", "documents", "DocumentOutPatch", "200:DocumentOut 400 403 404" },
	{ "GET", "/api/v1/documents/types", h_document_types, HTTP_OFFICERS, 0, NONE, 0,
	  "The document types of Decree 30/2020 Appendix III with their abbreviations, the urgency "
	  "and confidentiality marks (any officer)",
	  "listDocumentTypes", "documents", NULL, "200:DocumentTypes" },
	/* The books' patterns sort after in/out/types; "in.pdf" matches no
	 * route above (the first match wins). */
	{ "GET", "/api/v1/documents/{book}.pdf", h_documents_file, HTTP_OFFICERS, 0, NONE, SNAP,
	  "A register book (in: văn bản đến, out: văn bản đi) of ?from=&to= (YYYY-MM-DD, at most "
	  "366 days; default this year) as PDF: A4 landscape, Decree 30's columns (any officer)",
	  "getDocumentBookPdf", "documents", NULL, "200:application/pdf 400 404" },
	{ "GET", "/api/v1/documents/{book}.xlsx", h_documents_file, HTTP_OFFICERS, 0, NONE, SNAP,
	  "A register book of ?from=&to= as an Excel workbook (any officer)",
	  "getDocumentBookXlsx", "documents", NULL,
	  "200:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet 400 404" },
	{ "GET", "/api/v1/dossiers", h_dossier_list, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Search and list dossiers (cursor pages)",
	  "listDossiers", "dossiers", NULL, "200:DossierPage" },
	{ "POST", "/api/v1/dossiers", h_dossier_create, R_RECEIVE, HTTP_MAX_BODY, NONE, 0,
	  "Receive a dossier (reception, admin)",
	  "receiveDossier", "dossiers", "DossierNew", "201:Dossier 404 409" },
	{ "GET", "/api/v1/dossiers/{code}", h_dossier_get, HTTP_OFFICERS, 0, NONE, SNAP,
	  "One dossier with its history",
	  "getDossier", "dossiers", NULL, "200:Dossier 404" },
	{ "POST", "/api/v1/dossiers/{code}/actions", h_dossier_act, HTTP_STAFF, HTTP_MAX_BODY, NONE,
	  0, "Move a dossier through its life cycle",
	  "actOnDossier", "dossiers", "DossierAction", "200:Dossier 404 409" },
	{ "POST", "/api/v1/dossiers/{code}/fees", h_fee_create, R_RECEIVE, HTTP_MAX_BODY, NONE, 0,
	  "Record a fee or charge collected (or waived) on a dossier (reception, admin)",
	  "recordFee", "fees", "FeeNew", "201:Dossier 404 409" },
	{ "GET", "/api/v1/dossiers/{code}/files", h_dossier_files, HTTP_OFFICERS, 0, NONE, SNAP,
	  "The scans and electronic result attached to a dossier",
	  "listDossierFiles", "files", NULL, "200:DossierFileList 404" },
	{ "POST", "/api/v1/dossiers/{code}/files/reuse", h_file_reuse, R_RECEIVE, HTTP_MAX_BODY, NONE,
	  0, "Attach a paper digitized before for the same applicant, marked reused (reception, admin)",
	  "reuseFile", "files", "FileReuse", "201:DossierFile 400 403 404 409" },
	{ "GET", "/api/v1/dossiers/{code}/forms/{form}.pdf", h_form, HTTP_OFFICERS, 0, NONE, SNAP,
	  "A printed form of the dossier as PDF: 1 receipt, 2 supplement request, 3 refusal, 4 apology, 5 stop notice, 6 process-control sheet, fee: the fee slip",
	  "getDossierForm", "forms", NULL, "200:application/pdf 404 409" },
	{ "POST", "/api/v1/dossiers/{code}/uploads", h_upload_begin, HTTP_STAFF, HTTP_MAX_BODY, NONE, 0,
	  "Begin a resumable upload of a component's scan (reception, admin) or the electronic result "
	  "(the assigned specialist, leader, admin)",
	  "beginUpload", "files", "UploadNew", "201:UploadProgress 400 403 404 409" },
	{ "GET", "/api/v1/fees", h_fees, R_FEES, 0, NONE, SNAP,
	  "The fee book: totals per day and per officer (reception, leader, admin, supervisor)",
	  "listFees", "fees", NULL, "200:FeeBook" },
	{ "GET", "/api/v1/files/{sha256}", h_file_get, HTTP_OFFICERS, 0, NONE, SNAP,
	  "A stored file's bytes, for the officers of an agency one of whose dossiers holds it",
	  "getFile", "files", NULL, "200:application/pdf,image/jpeg,image/png,image/tiff 404" },
	{ "GET", "/api/v1/files/{sha256}/searchable.pdf", h_file_searchable, HTTP_OFFICERS, 0, NONE,
	  SNAP,
	  "An image scan as a searchable PDF (its cleaned pages over the words read from them), made by its OCR job, for the officers of an agency one of whose dossiers holds it",
	  "getFileSearchablePdf", "files", NULL, "200:application/pdf 404" },
	{ "GET", "/api/v1/files/{sha256}/text", h_file_text, HTTP_OFFICERS, 0, NONE, SNAP,
	  "The text read from a stored file (OCR, or a PDF's own text), page by page, and where "
	  "its reading stands, for the officers of an agency one of whose dossiers holds it",
	  "getFileText", "files", NULL, "200:FileText 404" },
	{ "GET", "/api/v1/files/{sha256}/thumbnail.png", h_file_thumbnail, HTTP_OFFICERS, 0, NONE,
	  SNAP,
	  "A small PNG of a stored file's first page (at most 320 pixels a side), made by its OCR job",
	  "getFileThumbnail", "files", NULL, "200:image/png 404" },
	{ "GET", "/api/v1/hub/communes", h_hub_dashboard, R_AUDIT, 0, NONE, SNAP,
	  "The province's dashboard: per commune its last sync, lag, open and overdue dossiers (hub; supervisor, admin)",
	  "getHubDashboard", "sync", NULL, "200:HubDashboard 404" },
	{ "GET", "/api/v1/hub/dossiers", h_hub_search, R_AUDIT, 0, NONE, SNAP,
	  "Search every commune's dossiers (q ignores diacritics; hub; supervisor, admin)",
	  "searchHubDossiers", "sync", NULL, "200:HubDossierPage 404" },
	{ "GET", "/api/v1/hub/dossiers/{code}", h_hub_dossier, R_AUDIT, 0, NONE, SNAP,
	  "One commune's dossier with its history as the owning node recorded it (hub; supervisor, admin)",
	  "getHubDossier", "sync", NULL, "200:HubDossier 404" },
	{ "GET", "/api/v1/hub/files/{sha256}", h_hub_file_get, R_AUDIT, 0, NONE, SNAP,
	  "A commune's file as the hub holds it, once its node sent the bytes (hub; supervisor, admin)",
	  "getHubFile", "sync", NULL, "200:application/pdf,image/jpeg,image/png,image/tiff 404" },
	{ "GET", "/api/v1/hub/nodes", h_hub_nodes, R_AUDIT, 0, NONE, SNAP,
	  "Commune nodes enrolled with this hub, with how far each has synced (hub; supervisor, admin)",
	  "listHubNodes", "sync", NULL, "200:HubNodeList 404" },
	{ "POST", "/api/v1/hub/nodes/{key}/approve", h_hub_approve, R_ADMIN, 0, NONE, 0,
	  "Approve a commune node's key: its pushes are accepted from now on (hub; admin)",
	  "approveHubNode", "sync", NULL, "200:HubNode 404 409" },
	{ "POST", "/api/v1/hub/nodes/{key}/revoke", h_hub_revoke, R_ADMIN, 0, NONE, 0,
	  "Revoke a commune node's key: nothing more is accepted from it (hub; admin)",
	  "revokeHubNode", "sync", NULL, "200:HubNode 404 409" },
	{ "POST", "/api/v1/hub/publish/calendar", h_hub_publish_calendar, R_ADMIN, HTTP_MAX_UPLOAD, NONE, 0,
	  "Publish a days-off schedule (CSV) to every commune, or to ?to=A,B (hub; admin)",
	  "publishCalendar", "sync", "text/csv text/plain", "201:Publication 400 404" },
	{ "POST", "/api/v1/hub/publish/catalog", h_hub_publish_catalog, R_ADMIN, HTTP_MAX_UPLOAD, NONE, 0,
	  "Publish a commune procedure list (CSV, as Danh mục TTHC của xã imports it) to every commune, "
	  "or to ?to=A,B (hub; admin)",
	  "publishCatalog", "sync", "text/csv text/plain", "201:Publication 400 404" },
	{ "POST", "/api/v1/hub/submissions", h_hub_submit, R_RECEIVE, HTTP_MAX_BODY, NONE, 0,
	  "An online submission for a commune, from the province's portal: the hub issues its code "
	  "and the commune's node takes it (hub; reception, admin)",
	  "submitToCommune", "sync", "HubSubmission", "201:HubSubmitted 400 404 409" },
	{ "GET", "/api/v1/jobs", h_jobs, HTTP_OFFICERS, 0, NONE, SNAP,
	  "The agency's background jobs (text recognition of stored files) with their progress; "
	  "?state=queued|running|done|failed",
	  "listJobs", "files", NULL, "200:JobList 400" },
	{ "GET", "/api/v1/local-procedures", h_local_list, R_ADMIN, 0, NONE, SNAP,
	  "The commune's own procedure list and the procedures to review (admin)",
	  "listLocalProcedures", "procedures", NULL, "200:LocalList" },
	{ "GET", "/api/v1/local-procedures/export", h_local_export, R_ADMIN, 0, NONE, SNAP,
	  "The commune's own procedure list as CSV (admin)",
	  "exportLocalProcedures", "procedures", NULL, "200:LocalExport" },
	{ "POST", "/api/v1/local-procedures/import", h_local_import, R_ADMIN, HTTP_MAX_UPLOAD, NONE,
	  0, "Import the commune's own procedure list (CSV; admin)",
	  "importLocalProcedures", "procedures", "text/csv text/plain", "200:LocalImport" },
	{ "PUT", "/api/v1/local-procedures/{code}", h_local_set, R_ADMIN, HTTP_MAX_BODY, NONE, 0,
	  "Set one procedure of the commune's own list: enabled, times, fee, unit, steps (admin)",
	  "setLocalProcedure", "procedures", "LocalEntryNew", "200:LocalEntry 404" },
	{ "GET", "/api/v1/me", h_me, HTTP_OFFICERS, 0, NONE, SNAP,
	  "The signed-in user and what they may do",
	  "getMe", "session", NULL, "200:Me" },
	{ "GET", "/api/v1/notifications", h_notifications, HTTP_OFFICERS, 0, NONE, SNAP,
	  "The signed-in officer's notifications, newest first, and how many are unread",
	  "listNotifications", "notifications", NULL, "200:NotificationList 400" },
	{ "POST", "/api/v1/notifications/read", h_notifications_read, HTTP_OFFICERS, HTTP_MAX_BODY,
	  NONE, 0, "Mark some or all of one's own notifications read",
	  "readNotifications", "notifications", "NotificationsRead", "200:UnreadCount 400" },
	{ "GET", "/api/v1/openapi.json", h_openapi, HTTP_ANON, 0, NONE, 0, "This document",
	  "getOpenApi", "meta", NULL, "200:OpenApiDocument 500" },
	{ "GET", "/api/v1/procedures", h_procedures, HTTP_OFFICERS, 0, NONE, SNAP,
	  "The procedure catalog (q ignores diacritics)",
	  "listProcedures", "procedures", NULL, "200:ProcedurePage" },
	{ "GET", "/api/v1/procedures/{code}", h_procedure, HTTP_OFFICERS, 0, NONE, SNAP,
	  "One procedure",
	  "getProcedure", "procedures", NULL, "200:Procedure 404" },
	{ "GET", "/api/v1/public/lookup", h_lookup, HTTP_ANON, 0, HTTP_RATE_PUBLIC, SNAP,
	  "Citizen look-up by code and the last 4 phone digits",
	  "lookUpDossier", "public", NULL, "200:Lookup 404" },
	{ "POST", "/api/v1/public/ratings", h_rate, HTTP_ANON, HTTP_MAX_ANON_BODY, HTTP_RATE_PUBLIC,
	  0, "Citizen rating once the result is ready",
	  "rateDossier", "public", "RatingNew", "201:Rating 404" },
	{ "GET", "/api/v1/reception/procedures", h_receivable, R_RECEIVE, 0, NONE, SNAP,
	  "Procedures reception may receive, the most received first (reception, admin)",
	  "listReceivableProcedures", "procedures", NULL, "200:ReceivableList" },
	{ "GET", "/api/v1/recommendations", h_recs_list, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Recommendations (kiến nghị): a commune's own on its node; on the hub every commune's "
	  "(leaders, administrators, supervisors) or those routed to the officer's department; "
	  "filters state, department, agency, field, q, from, to, overdue",
	  "listRecommendations", "recommendations", NULL, "200:RecommendationPage 400" },
	{ "POST", "/api/v1/recommendations", h_rec_file, R_REC_FILE, HTTP_MAX_BODY, NONE, 0,
	  "File a recommendation to the province (a commune's node; leader, admin)",
	  "fileRecommendation", "recommendations", "RecommendationNew",
	  "201:Recommendation 400" },
	{ "GET", "/api/v1/recommendations/board", h_recs_board, R_REPORTS, 0, NONE, SNAP,
	  "The recommendations' board: open ones by department and commune, overdue answers, the "
	  "average answer time in working days (leader, admin, supervisor)",
	  "getRecommendationBoard", "recommendations", NULL, "200:RecommendationBoard 400" },
	{ "GET", "/api/v1/recommendations/settings", h_recs_settings, HTTP_OFFICERS, 0, NONE, SNAP,
	  "The working days a department has to answer a recommendation",
	  "getRecommendationSettings", "recommendations", NULL, "200:RecommendationSettings" },
	{ "PUT", "/api/v1/recommendations/settings", h_recs_settings_put, R_ADMIN, HTTP_MAX_BODY,
	  NONE, 0, "Set the working days a department has to answer (hub; admin)",
	  "setRecommendationSettings", "recommendations", "RecommendationSettings",
	  "200:RecommendationSettings 400" },
	{ "GET", "/api/v1/recommendations/{agency}/{number}", h_rec_get, HTTP_OFFICERS, 0, NONE,
	  SNAP,
	  "One recommendation (id <agency>/KN-YYYY-NNNN) with its timeline, the working time each "
	  "stage took and the steps the caller may take",
	  "getRecommendation", "recommendations", NULL, "200:Recommendation 404" },
	{ "POST", "/api/v1/recommendations/{agency}/{number}/{action}", h_rec_act, HTTP_OFFICERS,
	  HTTP_MAX_BODY, NONE, 0,
	  "A step: route, reroute, answer (the hub) or close, reopen, withdraw (the commune's node)",
	  "actOnRecommendation", "recommendations", "RecommendationStep",
	  "200:Recommendation 400 404 409" },
	{ "GET", "/api/v1/register.pdf", h_register, HTTP_OFFICERS, 0, NONE, SNAP,
	  "The tracking register (Sổ theo dõi hồ sơ, form 7) of the dossiers received from..to as PDF",
	  "getRegister", "forms", NULL, "200:application/pdf" },
	/* The files' patterns sort before {report}, so "ii06a.xlsx" finds its
	 * own route first (the first match wins). */
	{ "GET", "/api/v1/reports/{name}.csv", h_report_file, R_REPORTS, 0, NONE, SNAP,
	  "A supervision report as CSV (UTF-8 with a BOM; the layout of its .xlsx, header joined); "
	  "same parameters as the JSON (leader, admin, supervisor)",
	  "getReportCsv", "reports", NULL, "200:text/csv 400 404" },
	{ "GET", "/api/v1/reports/{name}.xlsx", h_report_file, R_REPORTS, 0, NONE, SNAP,
	  "A supervision report as an Excel workbook laid out like the official template (merged "
	  "headings, numbers as numbers, totals as formulas; leader, admin, supervisor)",
	  "getReportXlsx", "reports", NULL,
	  "200:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet 400 404" },
	{ "GET", "/api/v1/reports/{report}", h_report, R_REPORTS, 0, NONE, SNAP,
	  "A supervision report of a period: ii06a (Biểu II.06a, ?by=field|procedure|officer|"
	  "channel|commune), 766 (the Decision 766 indicators) or trend (12 months); ?from=&to= "
	  "(YYYY-MM-DD, at most 366 days); on a hub commune by commune, ?agency= for one "
	  "(leader, admin, supervisor)",
	  "getReport", "reports", NULL, "200:Report 400 404" },
	{ "GET", "/api/v1/reports/{report}/dossiers", h_report_dossiers, R_REPORTS, 0, NONE, SNAP,
	  "The dossiers behind one number of a report: ?row= (a row's key, empty for the total) "
	  "and ?col= (ii06a: a column's key; 766: an indicator's id with ?part=numerator|"
	  "denominator), with the report's own parameters (leader, admin, supervisor)",
	  "getReportDossiers", "reports", NULL, "200:ReportDossiers 400 404" },
	{ "GET", "/api/v1/search", h_search, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Full-text search of dossiers: words of the applicant, code, procedure, numbers, "
	  "address, summary (the last word by its start; diacritics and case ignored)",
	  "searchFullText", "dossiers", NULL, "200:SearchPage" },
	{ "DELETE", "/api/v1/session", h_session_delete, HTTP_OFFICERS, 0, NONE, 0, "Sign out",
	  "signOut", "session", NULL, "200:SignedOut" },
	{ "POST", "/api/v1/session", h_session_create, HTTP_ANON, HTTP_MAX_ANON_BODY,
	  HTTP_RATE_SIGNIN, 0, "Sign in",
	  "signIn", "session", "SignIn", "200:Session 401" },
	{ "GET", "/api/v1/settings", h_settings, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Agency, office hours and cut-off",
	  "getSettings", "settings", NULL, "200:Settings" },
	{ "PATCH", "/api/v1/settings", h_settings_update, R_ADMIN, HTTP_MAX_BODY, NONE, 0,
	  "Change office hours, the public address (admin)",
	  "updateSettings", "settings", "SettingsPatch", "200:Settings" },
	{ "GET", "/api/v1/settings/smtp", h_smtp_get, R_ADMIN, 0, NONE, SNAP,
	  "The e-mail (SMTP) settings for the daily digest, without the password (admin)",
	  "getSmtpSettings", "settings", NULL, "200:SmtpSettings" },
	{ "PUT", "/api/v1/settings/smtp", h_smtp_set, R_ADMIN, HTTP_MAX_BODY, NONE, 0,
	  "Change the e-mail (SMTP) settings for the daily digest (admin)",
	  "setSmtpSettings", "settings", "SmtpSettingsNew", "200:SmtpSettings 400" },
	{ "GET", "/api/v1/staff", h_staff, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Staff directory: logins, names, roles (any officer)",
	  "listStaff", "staff", NULL, "200:StaffList" },
	{ "POST", "/api/v1/sync/attachments/{sha256}", h_sync_attach_get, HTTP_NODE, 0, NONE, 0,
	  "A commune node fetches the bytes of an attachment an item the hub published names, "
	  "from ?offset=N, at most ?max=M bytes (1 MiB at most; hub; the node's key, over an empty "
	  "body)",
	  "fetchSyncAttachment", "sync", NULL, "200:application/octet-stream 400 404" },
	{ "POST", "/api/v1/sync/enrol", h_sync_enrol, HTTP_ANON, 4096, HTTP_RATE_PUBLIC, 0,
	  "A commune node enrols its key with this hub; an administrator approves it (hub)",
	  "enrolNode", "sync", "Enrolment", "201:Enrolled 200:Enrolled 400 404 409" },
	{ "POST", "/api/v1/sync/files/want", h_sync_files_want, HTTP_NODE, 16384, NONE, 0,
	  "A commune node offers the hashes of files it stores; the hub answers which it lacks and "
	  "the offset it holds of each (hub; the node's key)",
	  "offerSyncFiles", "sync", "SyncFileOffer", "200:SyncFileWants 400 404" },
	{ "POST", "/api/v1/sync/files/{sha256}", h_sync_file_put, HTTP_NODE, APP_CHUNK_MAX, NONE, 0,
	  "A commune node sends one chunk of a file at ?offset=N (raw bytes); 201 once the hub "
	  "checked and stored it, 409 with expected_offset to resume at (hub; the node's key)",
	  "putSyncFileChunk", "sync", "application/octet-stream",
	  "200:SyncFileChunk 201:SyncFileChunk 400 404 409 413 415 422" },
	{ "POST", "/api/v1/sync/now", h_sync_now, R_ADMIN, 0, NONE, 0,
	  "Start a sync round with the hub now, and after a refusal that stopped them (admin)",
	  "syncNow", "sync", NULL, "202:SyncStatus" },
	{ "POST", "/api/v1/sync/pull", h_sync_pull, HTTP_NODE, 4096, NONE, 0,
	  "A commune node pulls what the province sent it after its cursor (hub; the node's key)",
	  "pullItems", "sync", "PullRequest", "200:PullResult 400 404" },
	{ "POST", "/api/v1/sync/push", h_sync_push, HTTP_NODE, APP_SYNC_MAX_BODY, NONE, 0,
	  "A commune node pushes a signed batch of its events (hub; the node's key)",
	  "pushEvents", "sync", "application/vnd.motcua.batch+zstd", "200:PushResult 400 404 409" },
	/* No SNAP: app_sync_status takes its own read (the CLI calls it too). */
	{ "GET", "/api/v1/sync/status", h_sync_status, HTTP_OFFICERS, 0, NONE, 0,
	  "This node's sync with its hub: acknowledged, waiting, last success, last error",
	  "getSyncStatus", "sync", NULL, "200:SyncStatus" },
	{ "GET", "/api/v1/tasks", h_tasks_list, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Tasks (giao việc): ?view=mine|unit|near_due|overdue|all, ?source= (a kind or a "
	  "directive), ?unit=, on a hub ?commune=; soonest due first, paged",
	  "listTasks", "tasks", NULL, "200:TaskPage 400" },
	{ "POST", "/api/v1/tasks", h_task_create, R_TASKS, HTTP_MAX_BODY, NONE, 0,
	  "Assign a task from a directive to a unit and officers, or on a hub to communes "
	  "(leader, admin)",
	  "createTask", "tasks", "TaskNew", "201:Task 400 403" },
	{ "GET", "/api/v1/tasks/board", h_task_board, R_REPORTS, 0, NONE, SNAP,
	  "The leader's board: open, near-due, overdue, done on time and late, by unit, by "
	  "directive and on a hub by commune (leader, admin, supervisor)",
	  "getTaskBoard", "tasks", NULL, "200:TaskBoard 403" },
	{ "GET", "/api/v1/tasks/{assigner}/{serial}", h_task_get, HTTP_OFFICERS, 0, NONE, SNAP,
	  "One task (its id is {assigner}/{serial}) with its progress history, the actions the "
	  "caller may take, and on a hub each commune's assignment",
	  "getTask", "tasks", NULL, "200:Task 404" },
	{ "POST", "/api/v1/tasks/{assigner}/{serial}/{task_action}", h_task_act, HTTP_STAFF,
	  HTTP_MAX_BODY, NONE, 0,
	  "Act on a task: start, progress, report_done (its assignee's side), accept, return, "
	  "cancel (its assigner's side), delegate (the assignee side's leader)",
	  "actOnTask", "tasks", "TaskAction", "200:Task 400 403 404 409" },
	{ "GET", "/api/v1/units", h_units, HTTP_OFFICERS, 0, NONE, SNAP,
	  "Units: this node's offices and the province's departments (any officer)",
	  "listUnits", "staff", NULL, "200:UnitList" },
	{ "PUT", "/api/v1/units/{unit}", h_unit_put, R_ADMIN, HTTP_MAX_BODY, NONE, 0,
	  "Add, rename or retire a unit (admin); a unit is never deleted",
	  "saveUnit", "staff", "UnitSave", "200:Unit 400 404" },
	{ "GET", "/api/v1/uploads/{id}", h_upload_get, HTTP_STAFF, 0, NONE, 0,
	  "Where an upload stands: the offset its next chunk must have (its creator, admin)",
	  "getUpload", "files", NULL, "200:UploadProgress 404 409 422" },
	{ "PUT", "/api/v1/uploads/{id}", h_upload_put, HTTP_STAFF, APP_CHUNK_MAX, NONE, 0,
	  "Send one chunk at ?offset=N (raw bytes); 201 with the file when the last byte is in, "
	  "409 with expected_offset to resume at (its creator, admin)",
	  "putUploadChunk", "files", "application/octet-stream",
	  "200:UploadProgress 201:UploadProgress 400 404 409 413 415 422" },
	{ "GET", "/api/v1/users", h_users, R_ADMIN, 0, NONE, SNAP, "Staff accounts (admin)",
	  "listUsers", "staff", NULL, "200:UserList" },
	{ "POST", "/api/v1/users", h_user_create, R_ADMIN, HTTP_MAX_BODY, NONE, 0,
	  "Add a staff account (admin)",
	  "createUser", "staff", "UserNew", "201:User 409" },
	{ "PATCH", "/api/v1/users/{login}", h_user_update, R_ADMIN, HTTP_MAX_BODY, NONE, 0,
	  "Change, disable or reset a staff account (admin)",
	  "updateUser", "staff", "UserPatch", "200:User 404" },
	{ "GET", "/healthz", h_healthz, HTTP_ANON, 0, NONE, 0,
	  "Liveness: 200 when the database answers",
	  "getHealth", "meta", NULL, "200:Health" },
	{ NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL },
};

/* ---- routing ---- */

/* Matches path against pattern; {x} takes one non-empty segment. */
static int match(const char *pattern, const char *path, http_req *r)
{
	int np = 0;
	static __thread char segs[4][128];
	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *end = strchr(pattern, '}');
			size_t n = strcspn(path, "/");
			/* A literal after the parameter in the same segment
			 * ("{form}.pdf") ends the segment and is not part of
			 * the parameter. */
			size_t suffix = end ? strcspn(end + 1, "/") : 0;
			if (end && suffix) {
				if (n <= suffix || strncmp(path + n - suffix, end + 1, suffix) != 0)
					return 0;
				n -= suffix;
			}
			if (!end || n == 0 || n >= sizeof segs[0] || np >= 4)
				return 0;
			memcpy(segs[np], path, n);
			segs[np][n] = 0;
			r->params[np] = segs[np];
			np++;
			pattern = end + 1;
			path += n;
		} else if (*pattern++ != *path++) {
			return 0;
		}
	}
	if (*pattern || *path)
		return 0;
	r->nparams = np;
	return 1;
}

const http_route *http_route_find(http_req *r, int *path_exists)
{
	*path_exists = 0;
	for (const http_route *rt = http_routes; rt->method; rt++) {
		if (!match(rt->pattern, r->path, r))
			continue;
		*path_exists = 1;
		if (strcmp(rt->method, r->method) == 0 ||
		    (strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
			return rt;
	}
	return NULL;
}

void http_route_allow(const char *pattern, char *out, size_t size)
{
	size_t n = 0;
	out[0] = 0;
	for (const http_route *rt = http_routes; rt->method; rt++) {
		if (strcmp(rt->pattern, pattern) != 0)
			continue;
		int w = snprintf(out + n, size - n, "%s%s%s", n ? ", " : "", rt->method,
				 strcmp(rt->method, "GET") == 0 ? ", HEAD" : "");
		if (w < 0 || (size_t)w >= size - n)
			break;
		n += (size_t)w;
	}
}

/* ---- who is calling ---- */

/* A refused token or session: 401 (its own code if it has a 401 one, such
 * as auth.session_ended; auth.required for every other refusal, so a
 * disabled account's cookie is told no more than a forged one). */
static int not_signed_in(http_req *r, const mc_err *e)
{
	size_t n;
	const mc_errdef *d = mc_errdefs(&n);
	if (e->code != MC_EPERM)
		return http_fail(r, e);
	if (e->id >= 0 && (size_t)e->id < n && d[e->id].status == 401)
		return http_fail(r, e);
	return http_fail_as(r, MCE_UNAUTHORIZED, e);
}

/* Signs r in from its bearer token or session cookie; checks the CSRF
 * token of a cookie's write. Returns 0 or the refusal's status. */
static int authenticate(http_req *r)
{
	mc_err e;
	const char *authz = http_header(r, "Authorization");
	if (authz && strncmp(authz, "Bearer ", 7) == 0) {
		if (auth_token(r->app, authz + 7, &r->actor, &e))
			return not_signed_in(r, &e);
		r->authed = 1;
		snprintf(r->inflight, sizeof r->inflight, "t:%.64s", authz + 7);
		return 0;
	}
	const char *tok = http_cookie(r, HTTP_SESSION_COOKIE);
	if (!tok)
		return http_error(r, MCE_UNAUTHORIZED,
				  "Chưa đăng nhập: đăng nhập trước (POST /api/v1/session) hoặc gửi mã truy cập",
				  "sign in first (POST /api/v1/session) or send a bearer token");
	if (auth_session(r->app, tok, r->now, &r->actor, &e))
		return not_signed_in(r, &e);
	r->authed = 1;
	r->by_cookie = 1;
	r->session_token = tok;
	snprintf(r->inflight, sizeof r->inflight, "s:%.64s", tok);
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
		/* A cookie travels with cross-site requests; the CSRF token does not. */
		char want[AUTH_TOKEN_HEX];
		auth_csrf_of(tok, want);
		const char *got = http_header(r, "X-CSRF-Token");
		if (!got || strlen(got) != 64 || sodium_memcmp(got, want, 64) != 0)
			return http_error(r, MCE_CSRF, "thiếu hoặc sai tiêu đề X-CSRF-Token: tải lại trang",
					  "missing or wrong X-CSRF-Token header");
	}
	return 0;
}

/* The rate class's allowance for an anonymous caller. */
static int rate_check(http_req *r, const http_route *rt)
{
	int ra = 0, ok = 1;
	if (rt->rate == HTTP_RATE_PUBLIC) /* one allowance for look-up and rating */
		ok = rate_allow("public", r->address, PUBLIC_PER_MIN, 60, r->now, &ra);
	else if (rt->rate == HTTP_RATE_SIGNIN) /* each try costs an argon2id hash */
		ok = rate_allow("signin", r->address, SIGNIN_PER_MIN, 60, r->now, &ra);
	if (ok)
		return 0;
	r->retry_after = ra;
	return http_error(r, MCE_RATE, "Thao tác quá nhiều lần: thử lại sau %d giây",
			  "too many requests: try again in %d seconds", ra);
}

/* A commune node: its key must be enrolled and approved, decided from the
 * head alone so that an unknown key never has its body read. One request
 * in flight per key: a node's rounds are serialised. */
static int admit_node(http_req *r)
{
	mc_err e;
	const char *key = http_header(r, "Motcua-Key");
	if (app_hub_admit(r->app, key ? key : "", &e))
		return http_fail(r, &e);
	snprintf(r->inflight, sizeof r->inflight, "n:%.64s", key);
	if (!rate_inflight_begin(r->inflight, 2)) {
		r->inflight[0] = 0;
		r->retry_after = 1;
		return http_error(r, MCE_RATE, "máy xã này đang gửi một gói khác: chờ gói trước",
				  "this node has another request in flight: wait for it");
	}
	return 0;
}

/* ---- the dispatcher ---- */

int http_admit(http_req *r)
{
	int exists = 0;
	if (!txt_utf8_valid(r->path, strlen(r->path)))
		return http_error(r, MCE_BAD_TEXT, "địa chỉ không phải UTF-8 hợp lệ", "the path is not valid UTF-8");
	if (!http_args_valid(r))
		return http_error(r, MCE_BAD_TEXT, "một tham số không phải văn bản UTF-8 hợp lệ",
				  "a query parameter is not valid UTF-8 text");
	const http_route *rt = http_route_find(r, &exists);
	if (!rt) {
		int get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
		if (get && strncmp(r->path, "/api/", 5) != 0)
			return 0; /* a UI file, served by http_run */
		if (exists) {
			http_route_allow(r->path, r->allow, sizeof r->allow);
			for (const http_route *t = http_routes; t->method && !r->allow[0]; t++)
				if (match(t->pattern, r->path, r))
					http_route_allow(t->pattern, r->allow, sizeof r->allow);
			return http_error(r, MCE_METHOD, "%s không dùng được với %.200s",
					  "%s is not allowed on %.200s", r->method, r->path);
		}
		return http_error(r, MCE_NO_ROUTE, "không có địa chỉ API %.200s", "no such endpoint: %.200s",
				  r->path);
	}
	r->route = rt;
	if (rate_check(r, rt))
		return r->status;
	mc_err re;
	if (rt->handler != h_healthz && rt->handler != h_openapi && app_refresh(r->app, &re))
		return http_fail(r, &re);
	if (rt->who == HTTP_ANON)
		return 0;
	if (rt->who == HTTP_NODE)
		return admit_node(r);
	if (authenticate(r))
		return r->status;
	if (!((unsigned)r->actor.role & rt->who))
		return http_error(r, MCE_ROLE, "Vai trò '%s' không được làm thao tác %s %s",
				  "role '%s' may not %s %s", dsr_role_name(r->actor.role), rt->method,
				  rt->pattern);
	if (!rate_inflight_begin(r->inflight, INFLIGHT_MAX)) {
		r->inflight[0] = 0;
		r->retry_after = 1;
		return http_error(r, MCE_RATE,
				  "phiên làm việc này gửi quá nhiều yêu cầu cùng lúc: chờ các yêu cầu trước",
				  "too many requests at once from this session: wait for the others");
	}
	return 0;
}

size_t http_body_max(const http_req *r)
{
	return r->route ? r->route->body_max : 0;
}

void http_run(http_req *r)
{
	const http_route *rt = r->route;
	if (!rt) {
		if (!http_static(r))
			http_error(r, MCE_NO_ROUTE, "không có trang %.200s", "no such page: %.200s", r->path);
		return;
	}
	if (!rt->body_max && r->body_len > 0) {
		http_error(r, MCE_NO_BODY_ALLOWED, "%s %s không nhận nội dung gửi kèm",
			   "%s %s takes no request body", r->method, rt->pattern);
		return;
	}
	if (rt->flags & ROUTE_SNAPSHOT) {
		mc_err e;
		if (app_read_begin(r->app, &e)) {
			http_fail(r, &e);
			return;
		}
		rt->handler(r);
		app_read_end(r->app);
		return;
	}
	rt->handler(r);
}

void http_done(http_req *r)
{
	if (r->inflight[0])
		rate_inflight_end(r->inflight);
	r->inflight[0] = 0;
}

/* ---- documents made from the table ---- */

const char *http_rate_name(int rate)
{
	return rate == HTTP_RATE_PUBLIC ? "public" : rate == HTTP_RATE_SIGNIN ? "signin" : "session";
}

static void size_text(size_t n, char *out, size_t size)
{
	if (n == 0)
		snprintf(out, size, "none");
	else if (n >= (1u << 20))
		snprintf(out, size, "%zu MiB", n >> 20);
	else
		snprintf(out, size, "%zu KiB", n >> 10);
}

/* A table cell: '|' would end the cell. */
static void md_cell(FILE *out, const char *s)
{
	for (; *s; s++)
		fputs(*s == '|' ? "\\|" : (char[2]){ *s, 0 }, out);
}

void http_errors_markdown(FILE *out)
{
	size_t n;
	const mc_errdef *d = mc_errdefs(&n);
	fprintf(out, "<!-- Generated by `motcua errors-markdown` from src/util/mc_errors.def; "
		     "do not edit by hand. -->\n");
	fprintf(out, "| code | status | meaning | nghĩa |\n");
	fprintf(out, "|---|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "| `%s` | %d | ", d[i].name, d[i].status);
		md_cell(out, d[i].en);
		fputs(" | ", out);
		md_cell(out, d[i].vi);
		fputs(" |\n", out);
	}
}

void http_routes_markdown(FILE *out)
{
	fprintf(out, "<!-- Generated by `motcua routes-markdown` from the route table in "
		     "src/http/route.c; do not edit by hand. -->\n");
	fprintf(out, "| method | path | who | body | rate | what |\n");
	fprintf(out, "|---|---|---|---|---|---|\n");
	for (const http_route *rt = http_routes; rt->method; rt++) {
		char who[96] = "", body[32];
		size_t n = 0;
		if (rt->who == HTTP_ANON)
			snprintf(who, sizeof who, "anyone");
		else if (rt->who == HTTP_NODE)
			snprintf(who, sizeof who, "an approved node key");
		else if (rt->who == HTTP_OFFICERS)
			snprintf(who, sizeof who, "any officer");
		else
			for (unsigned bit = 1; bit <= ROLE_SUPERVISOR; bit <<= 1)
				if ((rt->who & bit) && n < sizeof who)
					n += (size_t)snprintf(who + n, sizeof who - n, "%s%s",
							      n ? ", " : "", dsr_role_name((int)bit));
		size_text(rt->body_max, body, sizeof body);
		fprintf(out, "| %s | `%s` | %s | %s | %s | %s |\n", rt->method, rt->pattern, who, body,
			http_rate_name(rt->rate), rt->summary);
	}
}
