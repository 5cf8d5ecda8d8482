# atlink. The two commands a new user needs on Debian/Ubuntu:
#   make run    build atlink and open it
#   make test   every check and test, with a real keychain in a private D-Bus session
# Both install the Debian packages they need when they are missing.

GO      ?= go
BIN     := bin/atlink
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# atlink hands every widget change to the UI goroutine with fyne.Do ([Migrations] fyneDo in
# FyneApp.toml); fyne package sets this tag from there, plain go build needs it said.
TAGS    := migrated_fynedo
STATICCHECK := $(shell $(GO) env GOPATH)/bin/staticcheck

.PHONY: all build run test check unit fuzz bench bench-window deps-build deps-test staticcheck clean screenshot package package-windows startup

all: build

deps-build:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh build keyring

build: deps-build
	@echo "Building $(BIN)…"
	@$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/atlink

run: build
	@echo "Starting atlink…"
	@./$(BIN)

$(STATICCHECK):
	@echo "Installing staticcheck…"
	@$(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2

staticcheck: $(STATICCHECK)
	@$(STATICCHECK) -tags $(TAGS) ./...

# Formatting, vet and staticcheck: fast, no keychain needed.
check: deps-test staticcheck
	@echo "Checking formatting…"
	@out=$$(gofmt -l $$(git ls-files -co --exclude-standard "*.go")); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@echo "Running go vet…"
	@$(GO) vet -tags $(TAGS) ./...

# Every test under the race detector, with a real gnome-keyring in a private D-Bus session and
# HOME in a temporary folder; then a short run of the site parser's fuzz target.
unit: deps-test
	@echo "Running the tests with a private gnome-keyring…"
	@scripts/with-keyring.sh $(GO) test -tags $(TAGS) -race -count=1 ./...

# Each fuzz target for a short while: every type's site parser, type detection, and the
# cleaning of strings from outside. The budget is a count, not a duration: Go 1.26's fuzzing
# coordinator can fail a duration-bounded run with "context deadline exceeded" at its end
# though no input failed (golang/go#75804, fixed in Go 1.27).
FUZZ := internal/atlassian:FuzzParseSite internal/atlassian:FuzzParseSiteAlign \
	internal/atlassian:FuzzParseSiteBitbucket internal/atlassian:FuzzDetectType internal/safetext:FuzzLine

fuzz:
	@for t in $(FUZZ); do \
		echo "Fuzzing $${t#*:} (100000 inputs)…"; \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime 100000x ./$${t%%:*} || exit 1; \
	done

test: check unit fuzz

# `atlink test` as whole processes against the imitation (300 ms per answer) with a real
# gnome-keyring: one account, 100 accounts on 100 sites, 20 on one site (tools/clibench).
bench: deps-test
	@scripts/bench.sh

# The window's Test all of 100 accounts on 100 sites as a ratio to its Test all of one, under
# Xvfb, against the imitation answering after 300 ms, tokens in a private gnome-keyring.
bench-window: deps-test
	@scripts/deps.sh screenshot
	@scripts/with-keyring.sh scripts/bench-window.sh

clean:
	rm -rf bin dist

# PNGs of the real window under Xvfb, in docs/ (accounts and add view, light and dark, 800x600).
screenshot: deps-test
	@scripts/deps.sh screenshot
	@scripts/with-keyring.sh scripts/screenshot.sh

# The Linux bundle: dist/atlink.tar.xz with a .desktop entry that starts the app.
package: deps-build
	@scripts/package.sh linux

# The Windows GUI executable, cross-built with MinGW: dist/atlink.exe.
package-windows: deps-build
	@scripts/deps.sh windows
	@scripts/package.sh windows

# Time to first window and peak memory, as ratios to a bare Fyne window (also with 500 and 1,000 accounts).
startup: deps-build
	@scripts/deps.sh screenshot
	@scripts/startup.sh
