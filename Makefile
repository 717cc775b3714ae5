# The README's commands. `make test` is also what .ci/run runs.
.PHONY: run test deps

run:
	go run ./cmd/menusync

deps:
	@bash .ci/deps

test: deps
	go vet ./...
	go test -race -count=1 ./...
