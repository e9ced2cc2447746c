// motcua staff app (issue 5 builds the screens)
