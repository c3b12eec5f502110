# The karmada-controllers image that "kubectl karmada init" deploys into a
# host cluster (--controllers-image). Build: make image IMG=registry/name:tag
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=unknown
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/kubectl-karmada/kubectl-karmada/internal/version.version=${VERSION}" \
      -o /karmada-controllers ./cmd/karmada-controllers

FROM gcr.io/distroless/static:nonroot
COPY --from=build /karmada-controllers /karmada-controllers
USER 65532:65532
ENTRYPOINT ["/karmada-controllers"]
