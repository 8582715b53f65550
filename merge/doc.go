// Package merge implements the strata module system: HCL modules that
// declare options and define configuration, merged under numeric
// priorities as the NixOS module system merges Nix modules. The contract is
// ../shared/spec/module-format.md (the project copy lives in
// docs/module-format.md); section numbers in comments refer to it.
//
// An evaluation runs in five phases:
//
//  1. Load: the modules given to [Config.Eval] and everything they import are
//     read from [Config.FS] (or the search roots of [Config.Roots]) and
//     parsed, in parallel, each once. disabledModules are removed from the
//     import graph with everything only they import, and the rest is put in
//     NixOS's definition order (spec section 2).
//  2. Declare: every option block becomes an option of the declaration
//     tree; declarations of the same option merge when their types do
//     (submodule extensions, spec section 3).
//  3. Define: every config block is walked and its definitions are pushed
//     down to the options they define (spec section 4). Nothing is evaluated
//     here except what pushing down needs, so a false mkIf never is.
//  4. Merge on demand: an option is merged the first time its value is
//     needed, once, and remembered (spec section 6). Conditions are
//     evaluated, priorities filtered and the option's type merges what
//     survives. An expression that reads config.a.b merges only the
//     options it names (through locals too: local.cfg.enable with
//     cfg = config.services.web needs services.web.enable alone), and one
//     that reads into a submodule element (config.fileSystems."/".device)
//     merges only that element's option, so elements may read each other.
//     A cycle is reported with every step of its chain; a chain deeper than
//     a fixed bound is an error, never a stack overflow.
//  5. Check: assert and warn blocks are evaluated, and [Result.MarshalJSON]
//     merges every option that was not needed yet.
//
// Errors are hcl.Diagnostics with the range of every place involved; the
// Extra field of each implements Places() []hcl.Range. Diagnostics come
// sorted by file and offset, without duplicates.
//
// A Config with a Cache keeps parsed and analysed modules, so evaluating
// many hosts against the same profiles parses each profile once; it also
// keeps merged values with what they were computed from, and a later
// evaluation merges again only the options a new host changes and what
// reads them (see [Cache]). Values
// are cty values: objects for attribute sets and submodules, tuples for
// lists, numbers for int and float.
package merge
