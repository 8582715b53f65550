// Package hclfast parses HCL native syntax files into the syntax trees of
// hclsyntax, faster than hclsyntax.ParseConfig for the files modules are
// made of, and exactly like it for every file but one nested too deeply
// to parse safely (see ParseConfig).
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
// Where the subset parser succeeds it builds the very tree hclsyntax
// builds: the same node types, values and source ranges (the tests
// compare both parsers' trees over every module of the project, the
// conformance cases, the benchmark sets and a fuzzer's inputs). The one
// difference is the returned hcl.File's Nav field, which hclsyntax fills
// with a type of its own and this package leaves nil; nothing in strata
// reads it.
//
// Why: in a cold evaluation of a 2000-module set hclsyntax spent about
// half the CPU time, most of it in work a simple file does not need (a
// grapheme segmenter run over every ASCII token to count columns, and a
// token slice regrown per file, over 450 MB of garbage per evaluation).
package hclfast
