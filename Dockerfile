# syntax=docker/dockerfile:1
# Multi-stage: build a static binary, ship it alone on an empty base.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/menusync ./cmd/menusync

FROM scratch
# CA roots for rediss:// URLs.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/menusync /menusync
# Not root. A numeric id needs no /etc/passwd in an empty image.
USER 65532:65532
ENV MENUSYNC_ADDR=:8080 MENUSYNC_LOG_FORMAT=json
EXPOSE 8080
# The image has no shell or curl: the binary probes its own /healthz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["/menusync", "healthcheck"]
# SIGTERM drains (readiness off, streams spread over MENUSYNC_DRAIN_WINDOW).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/menusync"]
