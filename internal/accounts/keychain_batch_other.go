//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package accounts

import "errors"

// GetMany: macOS's Keychain and Windows' Credential Manager read one item per call, cheaply;
// atlink reads each with Get.
func (SystemKeychain) GetMany(string, []string) (map[string]string, error) {
	return nil, errors.ErrUnsupported
}
