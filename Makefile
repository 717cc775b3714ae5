# The README's commands. `make test` is also what .ci/run runs.
.PHONY: run test deps fuzz soak rush

run:
	go run ./cmd/menusync

deps:
	@bash .ci/deps

# MENUSYNC_TEST_STRICT: a program the tests need (redis-server, nginx,
# chromium, tesseract) is installed by deps, so its absence is a failure,
# not a skip as on a bare go test.
# Lighthouse scores what a phone gets, so it runs last, alone, against
# the server as shipped: under the race detector and beside the other
# packages' tests its performance score fell to 77-86 on this 2-core box
# (95 and more alone).
# deploy/kubernetes is a module of its own, outside ./...: its kustomize
# and k8s.io/api take a minute to compile cold and need no -race. It gets
# the same vet and staticcheck (the main module's binary) and its tests.
test: deps
	go vet ./...
	go tool staticcheck ./...
	MENUSYNC_TEST_STRICT=1 go test -race -count=1 -skip '^TestLighthouse$$' ./...
	MENUSYNC_TEST_STRICT=1 go test -count=1 -run '^TestLighthouse$$' ./e2e/webapp
	go -C deploy/kubernetes vet ./...
	cd deploy/kubernetes && $$(go -C ../.. tool -n staticcheck) ./...
	go -C deploy/kubernetes test -count=1 ./...

# A short run of every fuzz target (seeds in each package's testdata/fuzz).
# Each runs for a count of inputs, about 5 s of this 2-core box, not for a
# duration: on Go 1.26 a duration's deadline races the fuzz workers and,
# when they are starved of CPU, fails a run that found nothing with a bare
# "context deadline exceeded" (go.dev/issue/75804, fixed in Go 1.27; CI
# hit it on FuzzTokenFastPath). FUZZ_TIME=30s (or 1000000x) overrides
# every target's count for a longer local run.
FUZZ_TIME ?=
FUZZ_TARGETS = .:FuzzValidateMenu:300000x rooms:FuzzParseEvent:100000x \
	rooms:FuzzDecodeMember:100000x menutext:FuzzParse:150000x \
	pubsub:FuzzFrame:100000x handlers:FuzzDecode:20000x \
	handlers:FuzzTokenParse:30000x handlers:FuzzTokenFastPath:20000x \
	handlers:FuzzLastEventID:40000x ocr:FuzzJPEGOrientation:200000x
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; n=$${rest#*:}; \
		n=$(or $(FUZZ_TIME),$$n); \
		echo "fuzz $$name ($$n)"; \
		go test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$$n ./$$pkg || exit 1; \
	done

# Ten minutes of churn through nginx and two replicas (not part of CI);
# figures in SOAK.md. SOAK_DURATION=1m for a quick look.
SOAK_DURATION ?= 10m
soak: deps
	SOAK_DURATION=$(SOAK_DURATION) go test -tags soak -run TestSoak -count=1 -timeout 30m -v ./e2e

# The dinner rush (not part of CI): redis, 2 replicas and the repo's nginx
# on loopback, then menusync-load -scenario dinner through nginx; the
# report, CSV and plot land in rush-out/. Knobs: RUSH_* in
# cmd/menusync-load/rush.sh; figures in BENCHMARKS.md, "The dinner rush".
rush:
	flock -o /tmp/heavy.lock bash cmd/menusync-load/rush.sh
