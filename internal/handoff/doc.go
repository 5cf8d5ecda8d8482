// Package handoff owns how atlink hands a linked account to another program without the
// person handling its token: the environment variables that describe an account to tools
// (Vars, Environ), written as lines for an env file, a .env file or a shell (EnvFormat),
// ready-made commands that use them (Setups), running a program with them (Run: streams pass
// through, signals are forwarded, the program's exit status comes back), and git's
// credential-helper protocol for Bitbucket Cloud (ReadRequest, Choose, GitHelper) with the git
// configuration that installs atlink as that helper (SetupGit).
//
// It knows nothing of the keychain or the account index: callers describe an account with
// the small Account and GitAccount structs and hand over the token, or a function that reads
// it, only when it is needed. A token goes into a program's environment or git's standard
// input, never into an argument list, an error or a file.
package handoff
