package shipped_test

import (
	"testing"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// TestReadingStopsAtTheBodyCap: a site whose answer never ends. The check must stop reading at
// atlassian.MaxBodyBytes and say unexpected_response, well before its deadline; without the
// cap it reads until the deadline (a timeout) while the site writes hundreds of megabytes.
func TestReadingStopsAtTheBodyCap(t *testing.T) {
	const host = "endless.atlassian.net"
	site(host, atlassiantest.Site{EndlessBody: true})
	_, err := check(t, host, 5*time.Second)
	if k := atlassian.KindOf(err); k != atlassian.KindUnexpected {
		t.Fatalf("kind = %q (%v), want unexpected_response: reading did not stop at the cap", k, err)
	}
	// What the site could write before the client stopped reading: the cap, plus what flow
	// control (HTTP/2 allows 4 MiB in flight per stream) and socket buffers let through, for
	// each of the two products.
	const bound = 16 << 20
	if n := srv.Written(host); n > bound {
		t.Errorf("the site wrote %d bytes before the client stopped reading, more than %d", n, bound)
	}
}
