package rooms

import (
	"time"

	"github.com/menusync/menusync"
)

// validTTL reports the TTL to use for a requested one (zero: default).
func (s *Store) validTTL(ttl time.Duration) (time.Duration, error) {
	if ttl == 0 {
		return s.defaultTTL, nil
	}
	if ttl < menusync.MinTTL || ttl > s.maxTTL {
		return 0, menusync.Invalidf("ttlSeconds must be between %d and %d", int(menusync.MinTTL.Seconds()), int(s.maxTTL.Seconds()))
	}
	return ttl.Truncate(time.Second), nil
}

// MaxTTL is the most a room may be given when Store says nothing else.
func (s *Store) MaxTTL() time.Duration { return s.maxTTL }
