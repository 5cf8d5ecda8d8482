package handoff

import "strings"

// EnvFormat is a way of writing an account's variables as lines of text, for a program that
// reads them from a file or a shell that evaluates them.
type EnvFormat string

// The formats. Each writes every value exactly, or refuses it (Lines); none ever writes a value
// that its readers would read as something else.
const (
	// EnvFormatEnv writes NAME=value: what `docker run --env-file` and `podman run --env-file`
	// read, taking everything after the first '=' as it is, to the end of the line (Docker
	// documentation, "docker container run", --env-file). Shells and .env readers change such a
	// value when it holds other characters than SafeChars: see Unsafe.
	EnvFormatEnv EnvFormat = "env"
	// EnvFormatDotenv writes NAME='value': a single-quoted value, which node --env-file
	// (no cut at '#'), Docker Compose's .env files and python-dotenv take as it is, with the
	// exceptions it refuses: a single quote, which ends the value; two backslashes in a row,
	// which python-dotenv reads as one; a backslash at the end, which Compose and python-dotenv
	// read as escaping the closing quote; and "${", which python-dotenv expands even inside
	// single quotes (python-dotenv 1.2: variables are resolved after parsing, whatever the
	// quotes, unless interpolate=False).
	EnvFormatDotenv EnvFormat = "dotenv"
	// EnvFormatShell writes export NAME='value', for a POSIX shell's eval or `.`: a single
	// quote in the value is written '\'' (close the quotes, an escaped quote, open them again),
	// so every other character stays literal.
	EnvFormatShell EnvFormat = "shell"
)

// EnvFormats lists the formats, the default first.
var EnvFormats = []EnvFormat{EnvFormatEnv, EnvFormatDotenv, EnvFormatShell}

// SafeChars are the characters that no shell and no .env reader changes in an unquoted value.
const SafeChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-"

// ParseEnvFormat returns the format called s ("env", "dotenv" or "shell"). Error: invalid_input
// (field "format") for any other name.
func ParseEnvFormat(s string) (EnvFormat, error) {
	for _, f := range EnvFormats {
		if s == string(f) {
			return f, nil
		}
	}
	return "", invalid("format", "the format is env, dotenv or shell")
}

// Lines returns vars written in format f, one line each, in their order, without line ends.
// A value that f cannot carry exactly is refused, and then no line at all is returned:
// invalid_input (field "format") naming the variable and what in its value is the trouble,
// never the value. A line break is refused in every format (each variable is one line);
// EnvFormatDotenv also refuses what its documentation above says.
func (f EnvFormat) Lines(vars []Var) ([]string, error) {
	if _, err := ParseEnvFormat(string(f)); err != nil {
		return nil, err
	}
	lines := make([]string, 0, len(vars))
	for _, v := range vars {
		if strings.ContainsAny(v.Value, "\n\r") {
			return nil, cannotCarry(v, f, "a line break")
		}
		switch f {
		case EnvFormatEnv:
			lines = append(lines, v.Name+"="+v.Value)
		case EnvFormatDotenv:
			switch {
			case strings.Contains(v.Value, "'"):
				return nil, cannotCarry(v, f, "a single quote")
			case strings.Contains(v.Value, `\\`):
				return nil, cannotCarry(v, f, "two backslashes in a row")
			case strings.HasSuffix(v.Value, `\`):
				return nil, cannotCarry(v, f, "a backslash at its end")
			case strings.Contains(v.Value, "${"):
				return nil, cannotCarry(v, f, "${, which python-dotenv expands")
			}
			lines = append(lines, v.Name+"='"+v.Value+"'")
		case EnvFormatShell:
			lines = append(lines, "export "+v.Name+"="+shellQuote(v.Value))
		}
	}
	return lines, nil
}

func cannotCarry(v Var, f EnvFormat, what string) error {
	other := "shell"
	if f == EnvFormatShell {
		other = "env"
	}
	return invalid("format", "the value of "+v.Name+" holds "+what+", which the "+string(f)+
		" format cannot write exactly; the "+other+" format can")
}

// Unsafe returns the names of the variables whose values hold a character outside SafeChars:
// written as NAME=value, a shell that sources the line would split or run it (| ; & < { $ and
// others), node --env-file would cut it at '#', python-dotenv would expand ${…}. Nil when
// every value is safe.
func Unsafe(vars []Var) []string {
	var names []string
	for _, v := range vars {
		if strings.Trim(v.Value, SafeChars) != "" {
			names = append(names, v.Name)
		}
	}
	return names
}
