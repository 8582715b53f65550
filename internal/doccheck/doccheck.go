package doccheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Problem is one missing or malformed doc comment.
type Problem struct {
	Pos  token.Position // where the undocumented declaration starts, with the file relative to the checked tree
	Name string         // the identifier, "Type.Method" for a method, or "package x"
	What string         // what is wrong, in a few words
}

// String returns "file:line: Name: What".
func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", p.Pos.Filename, p.Pos.Line, p.Name, p.What)
}

// Check walks fsys and checks every directory that holds Go files other than
// tests. Directories named testdata, or starting with "." or "_", are skipped,
// as the go command skips them. A directory with no Go files is not a package
// and is fine.
//
// Problems come back sorted by file and line. The error is non-nil only when
// fsys cannot be read or a file does not parse; Problems found before that
// are returned with it.
func Check(fsys fs.FS) ([]Problem, error) {
	dirs := map[string][]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			base := d.Name()
			if p != "." && (base == "testdata" || strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_")) {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			dirs[path.Dir(p)] = append(dirs[path.Dir(p)], p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("doccheck: %w", err)
	}
	names := make([]string, 0, len(dirs))
	for d := range dirs {
		names = append(names, d)
	}
	sort.Strings(names)
	var problems []Problem
	for _, d := range names {
		ps, err := checkPackage(fsys, d, dirs[d])
		problems = append(problems, ps...)
		if err != nil {
			return sortProblems(problems), err
		}
	}
	return sortProblems(problems), nil
}

func sortProblems(ps []Problem) []Problem {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i].Pos, ps[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Line < b.Line
	})
	return ps
}

// checkPackage checks the files of one directory. Files that build only
// under constraints still count: a name exported for one platform needs its
// doc as much as any other.
func checkPackage(fsys fs.FS, dir string, files []string) ([]Problem, error) {
	fset := token.NewFileSet()
	var problems []Problem
	pkgDoc := false
	var first *ast.File
	for _, name := range files {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return problems, fmt.Errorf("doccheck: %w", err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			return problems, fmt.Errorf("doccheck: %w", err)
		}
		if first == nil {
			first = f
		}
		if f.Doc != nil {
			pkgDoc = true
			if p, ok := badPackageDoc(f); ok {
				p.Pos = fset.Position(f.Doc.Pos())
				problems = append(problems, p)
			}
		}
		problems = append(problems, checkFile(fset, f)...)
	}
	if !pkgDoc && first != nil {
		problems = append(problems, Problem{
			Pos:  fset.Position(first.Package),
			Name: "package " + first.Name.Name,
			What: "no package comment (put one in " + path.Join(dir, "doc.go") + ")",
		})
	}
	return problems, nil
}

// badPackageDoc reports a package comment that does not start the way Go
// tools expect: "Package x" for a library, "Command x" or any sentence for
// package main (a command's comment names the command, not the package).
func badPackageDoc(f *ast.File) (Problem, bool) {
	text := f.Doc.Text()
	if f.Name.Name == "main" {
		return Problem{}, false
	}
	if strings.HasPrefix(text, "Package "+f.Name.Name+" ") || strings.HasPrefix(text, "Package "+f.Name.Name+"\n") {
		return Problem{}, false
	}
	return Problem{Name: "package " + f.Name.Name, What: `package comment should start "Package ` + f.Name.Name + ` "`}, true
}

func checkFile(fset *token.FileSet, f *ast.File) []Problem {
	var problems []Problem
	missing := func(pos token.Pos, name string) {
		problems = append(problems, Problem{Pos: fset.Position(pos), Name: name, What: "exported but has no doc comment"})
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if !ast.IsExported(name) {
				continue
			}
			if d.Recv != nil {
				recv := receiverType(d.Recv)
				if !ast.IsExported(recv) {
					// A method of an unexported type shows in no
					// documentation, unless the type is reachable
					// through an exported one; the doc tools skip it too.
					continue
				}
				name = recv + "." + name
			}
			if d.Doc == nil {
				missing(d.Pos(), name)
			} else if p, bad := wrongStart(d.Doc, d.Name.Name); bad {
				p.Pos, p.Name = fset.Position(d.Pos()), name
				problems = append(problems, p)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if !ast.IsExported(s.Name.Name) {
						continue
					}
					// The spec's own comment, or the declaration's
					// when it declares this type alone, must name
					// it; a group's comment may describe the group.
					doc := s.Doc
					if doc == nil && len(d.Specs) == 1 {
						doc = d.Doc
					}
					if s.Doc == nil && d.Doc == nil {
						missing(s.Pos(), s.Name.Name)
					} else if doc != nil {
						if p, bad := wrongStart(doc, s.Name.Name); bad {
							p.Pos, p.Name = fset.Position(s.Pos()), s.Name.Name
							problems = append(problems, p)
						}
					}
				case *ast.ValueSpec:
					// A trailing line comment also documents a name
					// in a group, as go/doc shows it beside the name.
					documented := d.Doc != nil || s.Doc != nil || (d.Lparen.IsValid() && s.Comment != nil)
					for _, n := range s.Names {
						if ast.IsExported(n.Name) && !documented {
							missing(n.Pos(), n.Name)
						}
					}
				}
			}
		}
	}
	return problems
}

// wrongStart reports a doc comment that does not start with the name it
// documents, as Go doc comments do ("Go Doc Comments": the first sentence
// begins with the name). An article before the name is allowed ("A Writer
// ..."), and so is a comment that is only a deprecation notice.
func wrongStart(doc *ast.CommentGroup, name string) (Problem, bool) {
	text := doc.Text()
	if strings.HasPrefix(text, "Deprecated:") {
		return Problem{}, false
	}
	for _, prefix := range []string{"", "A ", "An ", "The "} {
		rest, ok := strings.CutPrefix(text, prefix+name)
		if ok && (rest == "" || !isIdentByte(rest[0])) {
			return Problem{}, false
		}
	}
	first, _, _ := strings.Cut(text, "\n")
	return Problem{What: fmt.Sprintf("doc comment should start with %q, not %q", name, first)}, true
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// receiverType returns the name of a method's receiver type, without the
// pointer and any type parameters.
func receiverType(recv *ast.FieldList) string {
	if recv == nil || len(recv.List) == 0 {
		return ""
	}
	t := recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}
