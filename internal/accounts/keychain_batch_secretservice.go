//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package accounts

import (
	"sync"

	dbus "github.com/godbus/dbus/v5"
	ss "github.com/zalando/go-keyring/secret_service"
)

// GetMany reads the secrets of users of service from the Secret Service the way go-keyring's
// Get finds each (the login collection, else the default one, unlocked; the first item whose
// attributes are service and username), in 4 + len(users) D-Bus calls instead of 7 each: the
// searches are sent at once, and one Service.GetSecrets call returns every secret
// (specifications.freedesktop.org/secret-service, org.freedesktop.Secret.Service). Its
// failures read as Get's do.
func (SystemKeychain) GetMany(service string, users []string) (map[string]string, error) {
	found, err := getMany(service, users)
	return found, diagnose(err)
}

func getMany(service string, users []string) (map[string]string, error) {
	svc, err := ss.NewSecretService()
	if err != nil {
		return nil, err
	}
	collection := svc.GetLoginCollection()
	if err := svc.Unlock(collection.Path()); err != nil {
		return nil, err
	}
	items := make([]dbus.ObjectPath, len(users))
	errs := make([]error, len(users))
	var wg sync.WaitGroup
	for i, user := range users {
		wg.Go(func() {
			var paths []dbus.ObjectPath
			paths, errs[i] = svc.SearchItems(collection, map[string]string{"username": user, "service": service})
			if len(paths) > 0 {
				items[i] = paths[0]
			}
		})
	}
	wg.Wait()
	var asked []dbus.ObjectPath
	for i, err := range errs {
		if err != nil {
			return nil, err
		}
		if items[i] != "" {
			asked = append(asked, items[i])
		}
	}
	found := map[string]string{}
	if len(asked) == 0 {
		return found, nil
	}
	session, err := svc.OpenSession()
	if err != nil {
		return nil, err
	}
	defer svc.Close(session)
	var secrets map[dbus.ObjectPath]ss.Secret
	if err := svc.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.GetSecrets", 0, asked, session.Path()).Store(&secrets); err != nil {
		return nil, err
	}
	for i, user := range users {
		if s, ok := secrets[items[i]]; ok && items[i] != "" {
			found[user] = string(s.Value)
		}
	}
	return found, nil
}
