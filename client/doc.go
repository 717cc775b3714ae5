// Package client is menusync's Go client: the REST calls of the generated
// client in client/api, with errors turned into *Error, and Watch, which
// follows a room's event stream and keeps a local copy of its state.
package client
