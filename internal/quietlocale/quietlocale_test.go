package quietlocale

import "testing"

func TestNeedsFix(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"unset", nil, false},
		{"C", map[string]string{"LANG": "C"}, false},
		{"POSIX", map[string]string{"LANG": "POSIX"}, false},
		{"C.UTF-8", map[string]string{"LANG": "C.UTF-8"}, true},
		{"C.utf8", map[string]string{"LANG": "C.utf8"}, true},
		{"POSIX in LC_ALL with encoding", map[string]string{"LC_ALL": "POSIX.UTF-8", "LANG": "en_US.UTF-8"}, true},
		{"en_US.UTF-8", map[string]string{"LANG": "en_US.UTF-8"}, false},
		{"de_DE", map[string]string{"LANG": "de_DE"}, false},
		{"a modifier Fyne cannot parse", map[string]string{"LANG": "de_DE@euro"}, true},
		{"LC_ALL wins over LANG", map[string]string{"LC_ALL": "pt_PT.UTF-8", "LANG": "C.UTF-8"}, false},
		{"LANGUAGE list read when the locale is not C", map[string]string{"LANG": "en_US.UTF-8", "LANGUAGE": "pt_BR:pt:en"}, false},
		{"a LANGUAGE entry that does not parse", map[string]string{"LANG": "en_US.UTF-8", "LANGUAGE": "C.UTF-8:en"}, true},
		{"LANGUAGE alone, not parsing", map[string]string{"LANGUAGE": "C.UTF-8"}, true},
		{"LANGUAGE alone, parsing", map[string]string{"LANGUAGE": "de:en"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := needsFix(func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("needsFix(%v) = %v, want %v", tt.env, got, tt.want)
			}
		})
	}
}
