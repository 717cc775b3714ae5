// Package codeshape holds no code: its tests keep the repository's
// habits, the ones a reviewer would otherwise have to remember (short
// functions, a package doc in every package).
package codeshape
