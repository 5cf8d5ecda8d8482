// Package accounts owns the linked accounts: the index of their metadata (a JSON file in the
// user's config directory, written atomically under a file lock so the window and the command
// line can change it at once) and their API tokens, which live only in the operating system's
// keychain, one item per account, reached through a wrapper that puts a deadline on every call.
//
// Reading the list never touches the keychain.
package accounts
