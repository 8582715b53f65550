package iso

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
)

func TestISOCandidate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		dir  bool
		n    int
		want string
	}{
		{name: "plain file", in: "readme.txt", want: "README.TXT;1"},
		{name: "no extension", in: "Makefile", want: "MAKEFILE.;1"},
		{name: "leading dot", in: ".bashrc", want: "_BASHRC.;1"},
		{name: "two dots", in: "a.tar.gz", want: "A_TAR.GZ;1"},
		{name: "odd characters", in: "a b-c+ü.txt", want: "A_B_C___.TXT;1"},
		{name: "long file", in: strings.Repeat("x", 40) + ".conf", want: strings.Repeat("X", 26) + ".CONF;1"},
		{name: "long file numbered", in: strings.Repeat("x", 40) + ".conf", n: 12, want: strings.Repeat("X", 24) + "12.CONF;1"},
		{name: "long extension", in: "a." + strings.Repeat("e", 40), want: "A." + strings.Repeat("E", 8) + ";1"},
		{name: "directory", in: "my.dir", dir: true, want: "MY_DIR"},
		{name: "long directory numbered", in: strings.Repeat("d", 40), dir: true, n: 3, want: strings.Repeat("D", 30) + "3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := isoCandidate(tc.in, tc.dir, tc.n); got != tc.want {
				t.Errorf("isoCandidate(%q, %v, %d) = %q, want %q", tc.in, tc.dir, tc.n, got, tc.want)
			}
		})
	}
}

func TestJolietCandidate(t *testing.T) {
	decode := func(b []byte) string {
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		return string(utf16.Decode(u))
	}
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{name: "kept", in: "Ünïcode file.txt", want: "Ünïcode file.txt"},
		{name: "forbidden characters", in: "a*b:c;d?e\\f", want: "a_b_c_d_e_f"},
		{name: "outside the BMP", in: "smile 😀.txt", want: "smile _.txt"},
		{name: "control character", in: "tab\there", want: "tab_here"},
		{name: "invalid UTF-8", in: "bad\xffbyte", want: "bad\uFFFDbyte"},
		{name: "too long keeps extension", in: strings.Repeat("j", 70) + ".iso", want: strings.Repeat("j", 60) + ".iso"},
		{name: "numbered", in: strings.Repeat("j", 70) + ".iso", n: 7, want: strings.Repeat("j", 59) + "7.iso"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := decode(jolietCandidate(tc.in, tc.n)); got != tc.want {
				t.Errorf("jolietCandidate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
			}
		})
	}
}

func TestSplitSU(t *testing.T) {
	ent := func(n int) []byte { return make([]byte, n) }
	tests := []struct {
		name       string
		ents       [][]byte
		room       int
		wantHead   int
		wantPieces []int
	}{
		{name: "fits", ents: [][]byte{ent(44), ent(26), ent(10)}, room: 200, wantHead: 3},
		{name: "exactly fits", ents: [][]byte{ent(100), ent(100)}, room: 200, wantHead: 2},
		{name: "one piece", ents: [][]byte{ent(44), ent(26), ent(250)}, room: 200, wantHead: 2, wantPieces: []int{1}},
		{name: "room for CE is kept", ents: [][]byte{ent(44), ent(26), ent(120), ent(200)}, room: 200, wantHead: 2, wantPieces: []int{2}},
		{name: "chained pieces", ents: append([][]byte{ent(44)}, slicesOf(20, 250)...), room: 100, wantHead: 1, wantPieces: []int{8, 8, 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			head, pieces := splitSU(tc.ents, tc.room)
			if head != tc.wantHead || !cmp.Equal(pieces, tc.wantPieces) {
				t.Errorf("splitSU = %d, %v; want %d, %v", head, pieces, tc.wantHead, tc.wantPieces)
			}
		})
	}
}

func slicesOf(n, size int) [][]byte {
	s := make([][]byte, n)
	for i := range s {
		s[i] = make([]byte, size)
	}
	return s
}

func TestSymlinkComponents(t *testing.T) {
	tests := []struct {
		name   string
		target string
		want   []byte // component area of the first SL entry
	}{
		{name: "relative", target: "a/b", want: []byte{0, 1, 'a', 0, 1, 'b'}},
		{name: "absolute", target: "/etc", want: []byte{8, 0, 0, 3, 'e', 't', 'c'}},
		{name: "dots", target: "./../x/", want: []byte{2, 0, 4, 0, 0, 1, 'x'}},
		{name: "root", target: "/", want: []byte{8, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := slEntries(tc.target)
			if len(got) != 1 || !cmp.Equal(got[0][5:], tc.want) {
				t.Errorf("slEntries(%q) = %v, want one entry with components %v", tc.target, got, tc.want)
			}
		})
	}
	long := slEntries(strings.Repeat("x", 600))
	if len(long) != 3 || long[0][4] != 1 || long[2][4] != 0 || long[0][5] != 1 {
		t.Errorf("a 600-byte component: want 3 SL entries, CONTINUE on the first two and on the component part")
	}
}
