# The README's commands. `make test` is also what .ci/run runs.
.PHONY: run test deps fuzz soak

run:
	go run ./cmd/menusync

deps:
	@bash .ci/deps

test: deps
	go vet ./...
	go test -race -count=1 ./...

# A short run of every fuzz target (seeds in each package's testdata/fuzz).
FUZZ_TIME ?= 5s
FUZZ_TARGETS = rooms:FuzzParseEvent rooms:FuzzValidateMenu pubsub:FuzzFrame handlers:FuzzDecode handlers:FuzzTokenParse handlers:FuzzLastEventID
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name ($(FUZZ_TIME))"; \
		go test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZ_TIME) ./$$pkg || exit 1; \
	done
