// Package pubsub is a replica's side of the room channels: one Redis
// pub/sub connection per replica, subscribed to a room's channel only while
// local listeners want it, and a fan-out that never waits for a listener.
//
// Each delta is framed once per replica and the same bytes go to every
// local listener. Listeners keep their own position (the last version they
// wrote); anything they cannot apply in order — a gap in versions, a full
// buffer, a Redis reconnect — is repaired with a snapshot, never by waiting.
package pubsub
