package rooms

import "testing"

func TestPinnableRun(t *testing.T) {
	const id = "d53f454334ba6207c7b097d0a781ff6909e74716"
	for _, tc := range []struct{ info, want string }{
		{"# Server\r\nredis_version:7.0.15\r\nrun_id:" + id + "\r\ntcp_port:6379\r\n", id},
		{"# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.0.1\r\nrun_id:" + id + "\r\n", id},
		{"redis_version:8.2.1\nrun_id:" + id + "\n", id},
		// Redis 6 kept loaded scripts in its AOF and RDB and sent them
		// to replicas: a text pinned to one process could run in another.
		{"# Server\r\nredis_version:6.2.14\r\nrun_id:" + id + "\r\n", ""},
		{"# Server\r\nredis_version:7.0.15\r\n", ""},                // no run id (a look-alike)
		{"redis_version:7.0.15\r\nrun_id:" + id[:39] + "\r\n", ""},  // too short
		{"redis_version:7.0.15\r\nrun_id:" + id[:39] + "Z\r\n", ""}, // not hex
		{"run_id:" + id + "\r\n", ""},                               // no version
		{"", ""},
	} {
		if got := pinnableRun(tc.info); got != tc.want {
			t.Errorf("pinnableRun(%q) = %q, want %q", tc.info, got, tc.want)
		}
	}
}
