// Package priority holds the override priorities and list orders of the
// strata module system, with their HCL spellings.
//
// A definition's priority is a number; the lowest number of an option wins
// and only the definitions that share it are merged (see docs/module-format.md,
// section 2). The numbers are NixOS's: a module written for one system ranks
// its settings the same way on the other.
//
// Package priority imports nothing from the rest of strata.
package priority
