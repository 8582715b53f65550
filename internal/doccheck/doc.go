// Package doccheck finds exported identifiers that have no doc comment, and
// packages that have no package comment, in a tree of Go source files.
//
// Its test runs the check over the whole repository, so a new exported name
// without documentation fails "go test ./...". Other tests here keep
// docs/module-format.md in step with the code and the contract: its tables
// of priorities, orders and property functions against package priority,
// and its table of types against ../shared/spec/module-format.md. The rules are those of
// "Go Doc Comments" (go.dev/doc/comment): every exported name, and every
// package, has a comment right before its declaration. A const or var
// group's comment documents every name in the group. The comment of a
// function, method or type starts with its name (after "A", "An" or "The"
// if need be), and a package comment with "Package x".
package doccheck
