# syntax=docker/dockerfile:1
# Multi-stage: build a static binary once, ship it in one of two images.
#
#   docker build .                   the default (last stage, "ocr"): the
#                                    binary plus Tesseract and its menu
#                                    languages, so photos of menus can be
#                                    read (POST /v1/menus/scan)
#   docker build --target static .   the binary alone on an empty base;
#                                    photos are off (capabilities.scan
#                                    false, scans 503 ocr_unavailable)
#
# The binary is the same static one in both: OCR runs Tesseract as a
# command, one per scan, so no C library is linked in.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/menusync ./cmd/menusync

FROM scratch AS static
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

FROM debian:bookworm-slim AS ocr
# Tesseract and the languages menus come in (English and script
# detection come with tesseract-ocr). Scans write their work to a
# temporary directory: give a read-only root a writable /tmp.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tesseract-ocr \
      tesseract-ocr-kor tesseract-ocr-jpn tesseract-ocr-chi-sim tesseract-ocr-chi-tra \
      tesseract-ocr-tha tesseract-ocr-vie \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/menusync /menusync
USER 65532:65532
ENV MENUSYNC_ADDR=:8080 MENUSYNC_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["/menusync", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/menusync"]
