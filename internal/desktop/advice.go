package desktop

// Advice is what atlink prints when the window cannot open: what is missing, and that the
// command line works without a desktop.
func Advice(cause error) string {
	return "atlink: the window needs a desktop session, and this session has none (" + cause.Error() + ").\n" +
		"The command line works here: run 'atlink --help' to see its commands.\n"
}
