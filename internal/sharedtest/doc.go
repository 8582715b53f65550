// Package sharedtest finds, for tests, the shared folder that sits beside
// the project in CI: the conformance cases, the image checkers and the
// benchmark module generator. Tests that need it skip, saying so, where
// it is absent (a user's clone), and fail instead when the CI
// environment variable is set, since CI always has it.
package sharedtest
