// Package doccheck holds one test, which parses every non-test Go file of the
// module and fails listing each exported identifier without a doc comment:
// types, functions, methods of exported types, constants and variables (a
// group's comment counts for each of its members), exported struct fields (a
// field is documented by its own comment above it or at the end of its line,
// which a line declaring several fields shares) and the methods of exported
// interfaces.
//
// It has no code of its own; run it with
//
//	go test ./internal/doccheck
package doccheck
