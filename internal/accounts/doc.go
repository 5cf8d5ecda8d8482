// Package accounts owns the linked accounts: the index of their metadata (a JSON file in the
// user's config directory, written atomically under a file lock so the window and the command
// line can change it at once) and their API tokens, which live only in the operating system's
// keychain, one item per account named by the account's id.
//
// Reading the list never touches the keychain. Every row is checked as it is read (its id must
// be the one of its site and email, the site an Atlassian Cloud host): a row that fails is
// listed as damaged, never used to send a token, and can only be removed. Strings from the
// index are cleaned (internal/safetext) before anyone shows them.
//
// Changes are decided under the lock, by account id: the window and the command line act on a
// Ref (the account as they saw it) and are refused with account_changed when it changed
// meanwhile. An operation that touches the keychain records its intent on the row first (a
// Pending marker), so a crash or a keychain that does not answer leaves an account that List
// shows as interrupted and Remove can delete with its token; go-keyring cannot list items, so
// nothing may be stored where no command can see it.
//
// Checking many accounts at once goes through a Snapshot: the index read once, and every token
// read in one keychain call where the keychain can (a Secret Service: BatchReader).
//
// Every keychain call is bounded: by the caller's deadline, else by the session's wait
// (KeychainWait: two minutes on a desktop, where an unlock prompt may need typing, 15 seconds
// elsewhere). Its failures carry a Kind, a Reason (no D-Bus, no Secret Service, no default
// collection, locked, prompt dismissed, not answering, unsupported), the operation (store,
// read, delete) and the Session, so each surface can word a remedy that fits the machine.
package accounts
