// Package hclfast parses HCL native syntax files into hclsyntax's
// expression trees and compact bodies, faster than hclsyntax.ParseConfig
// for the files modules are made of, and with its results for every file
// but one too large or nested too deeply to parse safely (see
// ParseConfig).
//
// ParseConfig first tries a parser for a subset of the language: ASCII
// files without carriage returns made of attributes, blocks with quoted
// or bare labels, comments, and the expressions literal values, quoted
// strings without template sequences, variables with attribute steps and
// literal indexes, function calls, tuple and object constructors,
// parentheses, the unary, binary and conditional operators. When the file
// uses anything else (heredocs, templates, for and splat expressions,
// namespaced functions, expanded arguments, legacy indexes) or holds any
// syntax error, ParseConfig hands the whole file to hclsyntax.ParseConfig,
// so errors and their ranges are always hclsyntax's own.
//
// The file's body is a *Body: hclsyntax's body in a compact form, whose
// attributes and blocks are slices in source order and whose expressions
// are hclsyntax's nodes. Body.Syntax gives the very tree hclsyntax builds,
// with the same node types, values and source ranges (the tests compare
// it with hclsyntax's over every module of the project, the conformance
// cases, the benchmark sets and a fuzzer's inputs), and the hcl.Body
// methods of a Body are hclsyntax's, run on that tree. Files hclsyntax
// parses are converted to the same form. The returned hcl.File's Nav
// field is hclsyntax's for those files and nil for the others; nothing in
// strata reads it.
//
// Why: in a cold evaluation of a 2000-module set hclsyntax spent about
// half the CPU time, most of it in work a simple file does not need (a
// grapheme segmenter run over every ASCII token to count columns, and a
// token slice regrown per file, over 450 MB of garbage per evaluation),
// and its bodies (a map, a pointer and three full ranges per attribute,
// read once by the loader and dropped) were a quarter of what an
// evaluation allocated.
package hclfast
