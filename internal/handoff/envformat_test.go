package handoff

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestEnvFormatLines(t *testing.T) {
	v := func(value string) []Var {
		return []Var{{Name: "ATLINK_ACCOUNT", Value: "acme"}, {Name: "JIRA_ALIGN_API_TOKEN", Value: value, Secret: true}}
	}
	tests := []struct {
		name   string
		format EnvFormat
		vars   []Var
		want   []string // nil: refused
		trait  string   // what the refusal names
	}{
		{"env writes the value as it is", EnvFormatEnv, v(`user:661838|demo/align;token&<{ $x #y 'q' "d" \b`),
			[]string{"ATLINK_ACCOUNT=acme", `JIRA_ALIGN_API_TOKEN=user:661838|demo/align;token&<{ $x #y 'q' "d" \b`}, ""},
		{"dotenv single-quotes", EnvFormatDotenv, v(`user:661838|demo/align;token&<{ $HOME $ {x} #y "d" \b`),
			[]string{"ATLINK_ACCOUNT='acme'", `JIRA_ALIGN_API_TOKEN='user:661838|demo/align;token&<{ $HOME $ {x} #y "d" \b'`}, ""},
		{"shell exports, single-quoted", EnvFormatShell, v(`a|b;c&$(x)`),
			[]string{"export ATLINK_ACCOUNT='acme'", `export JIRA_ALIGN_API_TOKEN='a|b;c&$(x)'`}, ""},
		{"shell writes a single quote as '\\''", EnvFormatShell, v(`it's`),
			[]string{"export ATLINK_ACCOUNT='acme'", `export JIRA_ALIGN_API_TOKEN='it'\''s'`}, ""},
		{"shell keeps backslashes", EnvFormatShell, v(`a\\b\`),
			[]string{"export ATLINK_ACCOUNT='acme'", `export JIRA_ALIGN_API_TOKEN='a\\b\'`}, ""},
		{"dotenv refuses a single quote", EnvFormatDotenv, v(`it's`), nil, "a single quote"},
		{"dotenv refuses two backslashes in a row", EnvFormatDotenv, v(`user:3|a\\b`), nil, "two backslashes"},
		{"dotenv refuses a backslash at the end", EnvFormatDotenv, v(`user:3|ab\`), nil, "a backslash at its end"},
		{"dotenv refuses ${", EnvFormatDotenv, v(`user:3|a${b}`), nil, "${"},
		{"env refuses a line break", EnvFormatEnv, v("a\nB=c"), nil, "a line break"},
		{"dotenv refuses a carriage return", EnvFormatDotenv, v("a\rb"), nil, "a line break"},
		{"shell refuses a line break", EnvFormatShell, v("a\nb"), nil, "a line break"},
		{"an unknown format", EnvFormat("yaml"), v("x"), nil, "env, dotenv or shell"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.format.Lines(tt.vars)
			if tt.want != nil {
				if err != nil || !slices.Equal(got, tt.want) {
					t.Errorf("Lines = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if got != nil || KindOf(err) != KindInvalidInput || !strings.Contains(err.Error(), tt.trait) {
				t.Fatalf("Lines = %q, %v; want invalid_input about %s", got, err, tt.trait)
			}
			if tt.format != "yaml" && !strings.Contains(err.Error(), "JIRA_ALIGN_API_TOKEN") {
				t.Errorf("the refusal does not name the variable: %v", err)
			}
			if strings.Contains(err.Error(), tt.vars[1].Value) {
				t.Errorf("the refusal quotes the value: %v", err)
			}
		})
	}
}

func TestUnsafe(t *testing.T) {
	vars := []Var{
		{Name: "ATLASSIAN_URL", Value: "https://acme.atlassian.net"},
		{Name: "ATLASSIAN_EMAIL", Value: "ana+jira@acme.example"},
		{Name: "ATLASSIAN_API_TOKEN", Value: "ATATT3xFfGF0_a-b=C0FFEE"},
		{Name: "JIRA_ALIGN_API_TOKEN", Value: "user:661838|demo/align;token&<{"},
		{Name: "X_SPACE", Value: "a b"},
		{Name: "X_HASH", Value: "a#b"},
		{Name: "X_BACKSLASH", Value: `a\b`},
		{Name: "X_DOLLAR", Value: "a$b"},
	}
	want := []string{"JIRA_ALIGN_API_TOKEN", "X_SPACE", "X_HASH", "X_BACKSLASH", "X_DOLLAR"}
	if got := Unsafe(vars); !slices.Equal(got, want) {
		t.Errorf("Unsafe = %q, want %q", got, want)
	}
}

// readBackVars are values that each reader changes unless the format protects them: a Jira
// Align token's | ; & < {, a space, a comment '#', expansions ($HOME, $(…), `…`), a double
// quote and a backslash. (${…} and a single quote are in the dotenv format's refusals.)
var readBackVars = []Var{
	{Name: "ATLINK_ACCOUNT", Value: "acme"},
	{Name: "JIRA_ALIGN_URL", Value: "https://acme.jiraalign.com"},
	{Name: "JIRA_ALIGN_API_TOKEN", Value: `user:661838|demo/align;token&<{ $HOME $(id) ` + "`id`" + ` #x "d" \b $`, Secret: true},
}

// shellOnlyVars adds what the shell format carries and the dotenv format refuses.
var shellOnlyVars = append(slices.Clip(readBackVars),
	Var{Name: "JIRA_ALIGN_EMAIL", Value: `it's ${HOME} a\\b\`})

// readBack has a real program read what format f writes of vars (as a file, FILE in argv, or
// on standard input) and returns the variables it got, which it prints as NAME\0value\0….
func readBack(t *testing.T, vars []Var, f EnvFormat, argv []string, file bool) map[string]string {
	t.Helper()
	lines, err := f.Lines(vars)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(lines, "\n") + "\n"
	if _, err := exec.LookPath(argv[0]); err != nil {
		t.Skipf("%s is not installed", argv[0])
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	// A clean environment: node --env-file lets an inherited variable win over the file.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=/home/ana"}
	if file {
		path := filepath.Join(t.TempDir(), ".env")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		for i, a := range cmd.Args {
			cmd.Args[i] = strings.ReplaceAll(a, "FILE", path)
		}
	} else {
		cmd.Stdin = strings.NewReader(text)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "No module named") || strings.Contains(stderr.String(), "bad option") {
			t.Skipf("%s cannot read %s files here: %s", argv[0], f, stderr.String())
		}
		t.Fatalf("%s: %v\n%s", argv[0], err, stderr.String())
	}
	fields := strings.Split(string(out), "\x00")
	got := map[string]string{}
	for i := 0; i+1 < len(fields); i += 2 {
		got[fields[i]] = fields[i+1]
	}
	return got
}

// Each format, read back by the real programs it is for, gives every value byte for byte.
func TestEnvFormatsReadBackExact(t *testing.T) {
	names := func(vars []Var) (out []string) {
		for _, v := range vars {
			out = append(out, v.Name)
		}
		return out
	}
	// A shell prints the variables it got, NAME\0value\0…, with its printf builtin.
	shellPrint := func(vars []Var) string {
		return `for n in ` + strings.Join(names(vars), " ") + `; do eval "v=\${$n}"; printf '%s\0%s\0' "$n" "$v"; done`
	}
	pythonDotenv := []string{"python3", "-c", `import sys, dotenv
for k, v in dotenv.dotenv_values(stream=sys.stdin).items(): sys.stdout.write(k + "\0" + v + "\0")`}
	nodeEnvFile := []string{"node", "--env-file=FILE", "-e",
		`for (const n of ["` + strings.Join(names(readBackVars), `","`) + `"]) process.stdout.write(n + "\0" + process.env[n] + "\0")`}
	tests := []struct {
		name   string
		format EnvFormat
		vars   []Var
		argv   []string
		file   bool
	}{
		{"shell, by sh's eval", EnvFormatShell, shellOnlyVars, []string{"sh", "-c", `eval "$(cat)"; ` + shellPrint(shellOnlyVars)}, false},
		{"shell, by sh's '.'", EnvFormatShell, shellOnlyVars, []string{"sh", "-c", `. FILE; ` + shellPrint(shellOnlyVars)}, true},
		{"shell, by bash's eval", EnvFormatShell, shellOnlyVars, []string{"bash", "-c", `eval "$(cat)"; ` + shellPrint(shellOnlyVars)}, false},
		{"dotenv, by python-dotenv", EnvFormatDotenv, readBackVars, pythonDotenv, false},
		{"dotenv, by node --env-file", EnvFormatDotenv, readBackVars, nodeEnvFile, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readBack(t, tt.vars, tt.format, tt.argv, tt.file)
			for _, v := range tt.vars {
				if g, ok := got[v.Name]; !ok || g != v.Value {
					t.Errorf("%s read back as %q, want %q", v.Name, g, v.Value)
				}
			}
		})
	}

	// Why the dotenv format refuses "${": python-dotenv expands it even inside single quotes.
	t.Run("python-dotenv expands ${…} in single quotes", func(t *testing.T) {
		cmd := exec.Command(pythonDotenv[0], pythonDotenv[1:]...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=/home/ana"}
		cmd.Stdin = strings.NewReader("X='a${HOME}b'\n")
		out, err := cmd.Output()
		if err != nil {
			t.Skipf("python-dotenv is not here: %v", err)
		}
		if string(out) != "X\x00a/home/anab\x00" {
			t.Errorf("python-dotenv read X='a${HOME}b' as %q: if it no longer expands, the dotenv format may take ${", out)
		}
	})
}

// The env format is what docker and podman read with --env-file: a line is NAME=value, the
// value everything after the first '=', as it is (no quotes, no expansion). Read so, every
// value comes back whole; and Unsafe names the values a shell or a .env reader would change.
func TestEnvFormatIsLiteralForEnvFiles(t *testing.T) {
	lines, err := EnvFormatEnv.Lines(readBackVars)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range lines {
		name, value, _ := strings.Cut(line, "=")
		if name != readBackVars[i].Name || value != readBackVars[i].Value {
			t.Errorf("line %d reads as %s=%q, want %s=%q", i, name, value, readBackVars[i].Name, readBackVars[i].Value)
		}
	}
	if got := Unsafe(readBackVars); !slices.Equal(got, []string{"JIRA_ALIGN_API_TOKEN"}) {
		t.Errorf("Unsafe = %q", got)
	}
}
