package handlers

// requestStack is about what a request's goroutine needs of stack to go
// through the router and a handler (chi's route search, then Redis and
// JSON) — see growStack.
const requestStack = 12 << 10

// growStack makes the goroutine's stack big enough for a request while
// it is still shallow. A connection's goroutine starts with a small
// stack (the runtime sizes new stacks by the average in use, and most of
// a replica's goroutines are idle streams); it used to grow inside chi's
// recursive route search, about 25 frames deep, where the copy (each
// frame's pointers adjusted) was ~8% of the replica's CPU in a storm of
// new streams. Here there are a few frames to copy. Once grown, this is
// a frame that fits: no copy, and the 12 KiB are cleared only.
//
//go:noinline
func growStack() byte {
	var b [requestStack]byte
	return b[stackIndex]
}

// stackIndex is a variable so the compiler keeps b.
var stackIndex = requestStack - 1
