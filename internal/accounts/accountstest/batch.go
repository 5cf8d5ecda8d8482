package accountstest

import "github.com/atlink/atlink/internal/accounts"

// GetMany reads the secrets of many users at once, as one call (accounts.BatchReader); a user
// without an item is absent.
func (m *MemKeychain) GetMany(service string, users []string) (map[string]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	found := map[string]string{}
	for _, u := range users {
		if v, ok := m.items[key(service, u)]; ok {
			found[u] = v
		}
	}
	return found, nil
}

// GetMany reads the secrets of many users under k.Service at once (accounts.BatchReader).
func (k Isolated) GetMany(_ string, users []string) (map[string]string, error) {
	return accounts.SystemKeychain{}.GetMany(k.Service, users)
}

var (
	_ accounts.BatchReader = (*MemKeychain)(nil)
	_ accounts.BatchReader = Isolated{}
)
