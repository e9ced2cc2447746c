// citizen look-up (issue 5 builds the page)
