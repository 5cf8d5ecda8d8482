package shipped_test

import (
	"fmt"
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
	before := srv.Written(host)
	_, err := check(t, host, 5*time.Second)
	if k := atlassian.KindOf(err); k != atlassian.KindUnexpected {
		t.Fatalf("kind = %q (%v), want unexpected_response: reading did not stop at the cap", k, err)
	}
	// What the site could write before the client stopped reading: the cap, plus what flow
	// control (HTTP/2 allows 4 MiB in flight per stream) and socket buffers let through, for
	// each of the two products.
	const bound = 16 << 20
	if n := srv.Written(host) - before; n > bound {
		t.Errorf("the site wrote %d bytes before the client stopped reading, more than %d", n, bound)
	}
}

// TestTheBodyCapIs64KiB: these answers are small JSON, so atlink reads 64 KiB of one and no
// more (issue 6): an identity of exactly MaxBodyBytes passes, one byte more is refused.
func TestTheBodyCapIs64KiB(t *testing.T) {
	if atlassian.MaxBodyBytes != 64<<10 {
		t.Fatalf("MaxBodyBytes = %d, want 64 KiB", atlassian.MaxBodyBytes)
	}
	tests := []struct {
		name string
		size int
		want atlassian.Kind
	}{
		{"at the cap", atlassian.MaxBodyBytes, ""},
		{"one byte over", atlassian.MaxBodyBytes + 1, atlassian.KindUnexpected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host := fmt.Sprintf("sized%d.atlassian.net", tt.size)
			site(host, atlassiantest.Site{BodyBytes: tt.size, Users: []atlassiantest.User{
				{Email: email, Token: token, AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: "Ana Lima"}}})
			_, err := check(t, host, 5*time.Second)
			if k := atlassian.KindOf(err); k != tt.want {
				t.Errorf("an answer of %d bytes: kind %q (%v), want %q", tt.size, k, err, tt.want)
			}
		})
	}
}
