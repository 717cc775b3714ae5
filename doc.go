// Package menusync is the domain of a shared table at a restaurant: a
// room with its menu, its members and their choices; the position of a
// room's history, (epoch, version), and the rules every client applies to
// follow it; the events that change a room; exact money in a currency's
// minor units; the summary of the order; validation of what people type;
// and the domain's errors.
//
// It imports nothing of this project's and no Redis or HTTP: the store
// (rooms), the fan-out (pubsub), the HTTP layer (handlers) and the clients
// depend on it, never the other way round. It also embeds openapi.yaml.
package menusync
