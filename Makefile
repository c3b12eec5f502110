# kubectl-karmada: build, test and run a local multi-cluster environment.
# `make help` lists the targets.

SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec
.DEFAULT_GOAL := help

# Tool versions are pinned here; each is installed into bin/tools on first use.
CONTROLLER_GEN_VERSION ?= v0.23.0
GOLANGCI_LINT_VERSION  ?= v2.15.0
GORELEASER_VERSION     ?= v2.15.1
KREW_VERSION           ?= v0.4.3

BIN        := $(CURDIR)/bin
TOOLS_BIN  := $(BIN)/tools
CONTROLLER_GEN := $(TOOLS_BIN)/controller-gen-$(CONTROLLER_GEN_VERSION)
GOLANGCI_LINT  := $(TOOLS_BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)
GORELEASER     := $(TOOLS_BIN)/goreleaser-$(GORELEASER_VERSION)
KREW           := $(TOOLS_BIN)/krew-$(KREW_VERSION)
VALIDATE_KREW  := $(TOOLS_BIN)/validate-krew-manifest-$(KREW_VERSION)

VERSION    ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
GIT_COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
BUILD_DATE ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
# Releases are stamped with the commit's time so that a commit always builds
# the same archives.
COMMIT_DATE  ?= $(shell TZ=UTC git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd 2>/dev/null)
COMMIT_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
# The v0.x.y tag on a clean HEAD, if any: make release then builds that release.
RELEASE_TAG  ?= $(shell git diff --quiet HEAD 2>/dev/null && git describe --exact-match --tags --match 'v[0-9]*' HEAD 2>/dev/null)
VERSION_PKG := github.com/kubectl-karmada/kubectl-karmada/internal/version
LDFLAGS := -s -w -X $(VERSION_PKG).version=$(VERSION) -X $(VERSION_PKG).gitCommit=$(GIT_COMMIT) -X $(VERSION_PKG).buildDate=$(BUILD_DATE)

# Where the local environment writes its kubeconfig (contexts
# karmada-apiserver, member1, member2, member3).
export KARMADA_KUBECONFIG ?= $(HOME)/.kube/karmada.config

# Go test flags; `make test GO_TEST_FLAGS=-v` for more output.
GO_TEST_FLAGS ?=

##@ General

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Build

.PHONY: build
build: ## Build kubectl-karmada and karmada-controllers into bin/
	CGO_ENABLED=0 go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ ./cmd/...

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate deepcopy code and CRDs from the types in api/
	$(CONTROLLER_GEN) object:headerFile=api/boilerplate.go.txt paths=./api/...
	$(CONTROLLER_GEN) crd:crdVersions=v1 paths=./api/... output:crd:artifacts:config=api/crds/bases

.PHONY: verify-generate
verify-generate: generate ## Fail when generated files are out of date
	@git diff --exit-code -- api/ || { echo "generated files are stale: run make generate"; exit 1; }

.PHONY: lint
lint: $(GOLANGCI_LINT) ## Run golangci-lint
	$(GOLANGCI_LINT) run ./...

.PHONY: clean
clean: ## Remove build output (not the cached upstream binaries)
	rm -rf $(BIN) dist

# Release archives for linux, darwin and windows on amd64 and arm64, the
# checksums, and the krew manifest of this version. A tagged commit (v0.x.y)
# is released as that version; any other gets a -dev snapshot version.
.PHONY: release
release: $(GORELEASER) ## Build the release archives, checksums.txt and krew/karmada.yaml into dist/
	GIT_COMMIT=$(GIT_COMMIT) COMMIT_DATE=$(COMMIT_DATE) COMMIT_EPOCH=$(COMMIT_EPOCH) RELEASE_VERSION=$(RELEASE_TAG) \
		$(GORELEASER) release --clean --snapshot >/dev/null
	@mkdir -p dist/krew
	go run ./krew -metadata dist/metadata.json -checksums dist/checksums.txt -o dist/krew/karmada.yaml
	@echo "dist/: $$(cd dist && ls *.tar.gz *.zip | tr '\n' ' ')checksums.txt krew/karmada.yaml"
	@# A tagged release also updates the committed manifest and index.
	$(if $(RELEASE_TAG),mkdir -p krew/index/plugins && cp dist/krew/karmada.yaml krew/karmada.yaml && cp dist/krew/karmada.yaml krew/index/plugins/karmada.yaml)

##@ Test

.PHONY: tools
tools: ## Build the pinned upstream binaries for local clusters (cached)
	@test/tools/install.sh >/dev/null

# -count=1: the end-to-end tests build and run the controllers binary
# themselves, which go test cannot see; a cached pass would be stale.
#
# The release checks (test/release) read the archives of every platform that
# make release writes: about 45 s once Go's build cache holds them, over half
# an hour the very first time on 2 cores.
TEST_ENV = KARMADA_LOCAL_BIN=$$(test/tools/install.sh) KARMADA_DIST=$(CURDIR)/dist \
	KARMADA_KREW=$(KREW) KARMADA_VALIDATE_KREW=$(VALIDATE_KREW)

.PHONY: test
test: tools release $(KREW) $(VALIDATE_KREW) ## Run unit tests, the tests against real local clusters and the release checks with the real krew
	$(TEST_ENV) go test -count=1 -timeout 30m $(GO_TEST_FLAGS) ./...

.PHONY: test-release
test-release: tools release $(KREW) $(VALIDATE_KREW) ## Only the release checks: archives, checksums, manifest, krew install, run, completion, uninstall
	$(TEST_ENV) go test -count=1 $(GO_TEST_FLAGS) ./test/release/

# How many Deployments make bench creates.
BENCH_N ?= 100

.PHONY: bench
bench: tools ## Measure propagating BENCH_N Deployments (default 100) on fresh local clusters
	go run ./test/bench -n $(BENCH_N)

.PHONY: bench-scheduler
bench-scheduler: ## Go benchmarks of the pure scheduling functions
	go test ./internal/scheduling/ -run '^$$' -bench . -benchmem

# The image init deploys by default is named after the version (see
# plugin/initcmd); the kind clusters load it from here.
IMG ?= ghcr.io/kubectl-karmada/karmada-controllers:$(VERSION)

.PHONY: image
image: build ## Build the karmada-controllers image FROM scratch, no pull (needs Docker): make image IMG=registry/name:tag
	docker build -t $(IMG) .

.PHONY: bench-tui
bench-tui: ## Go benchmarks of the terminal UI (a frame and the heap with 5,000 bindings)
	go test ./tui/ -run '^$$' -bench . -benchmem -benchtime 20x

.PHONY: bench-floor
bench-floor: tools ## Measure what the members alone need for the same work
	go run ./test/bench -n $(BENCH_N) -floor

##@ Local environment

# kwok: every cluster as local processes, fake nodes (fast, no Docker).
# kind: real nodes and pods in Docker, the control plane deployed by init.
PROVIDER ?= kwok

.PHONY: local-up
local-up: tools $(if $(filter kind,$(PROVIDER)),kind-images) ## Start the control plane and member1..3 (PROVIDER=kwok|kind; idempotent)
	KARMADA_PROVIDER=$(PROVIDER) go run ./test/localup up

.PHONY: local-down
local-down: ## Remove everything local-up made (idempotent)
	go run ./test/localup down

.PHONY: demo
demo: build local-up ## Start the local clusters and take a short tour
	test/demo.sh

.PHONY: demo-kind
demo-kind: ## The tour on kind clusters, ending with requests across clusters (needs root or Docker)
	$(MAKE) local-up PROVIDER=kind
	test/demo-kind.sh

##@ Kind clusters (real containers; Docker is installed and started when missing)

# The node image and the images loaded into the clusters; none is pulled.
HELLO_IMG ?= kubectl-karmada/hello:v1
KIND_CONTROLLERS_IMG ?= kubectl-karmada/karmada-controllers:dev
export KARMADA_CONTROLLERS_IMAGE := $(KIND_CONTROLLERS_IMG)
export KARMADA_HELLO_IMAGE := $(HELLO_IMG)

.PHONY: docker
docker: ## Make sure a Docker engine answers (installs and starts one as root)
	@test/kind/docker.sh

.PHONY: node-image
node-image: docker tools ## Build the kind node image offline (cached)
	@test/kind/node-image.sh >/dev/null

.PHONY: image-hello
image-hello: docker ## Build the test workload image (an HTTP server that names its pod and cluster) FROM scratch
	@mkdir -p $(BIN)/hello-image
	CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o $(BIN)/hello-image/hello ./test/kind/images/hello
	printf 'FROM scratch\nCOPY hello /hello\nUSER 65532:65532\nENTRYPOINT ["/hello"]\n' | docker build -q -t $(HELLO_IMG) -f - $(BIN)/hello-image >/dev/null

.PHONY: kind-images
kind-images: node-image image-hello
	$(MAKE) image IMG=$(KIND_CONTROLLERS_IMG)

.PHONY: test-kind
test-kind: kind-images ## End-to-end tests on kind clusters: init in-cluster, real pods, traffic across clusters
	KARMADA_KIND_NODE_IMAGE=$$(test/kind/node-image.sh) go test -count=1 -timeout 40m $(GO_TEST_FLAGS) ./test/kinde2e/

$(CONTROLLER_GEN):
	@mkdir -p $(TOOLS_BIN)
	GOBIN=$(TOOLS_BIN) go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_GEN_VERSION)
	mv $(TOOLS_BIN)/controller-gen $@

$(GORELEASER):
	@mkdir -p $(TOOLS_BIN)
	GOBIN=$(TOOLS_BIN) go install github.com/goreleaser/goreleaser/v2@$(GORELEASER_VERSION)
	mv $(TOOLS_BIN)/goreleaser $@

$(KREW) $(VALIDATE_KREW) &:
	@mkdir -p $(TOOLS_BIN)
	GOBIN=$(TOOLS_BIN) go install sigs.k8s.io/krew/cmd/krew@$(KREW_VERSION) sigs.k8s.io/krew/cmd/validate-krew-manifest@$(KREW_VERSION)
	mv $(TOOLS_BIN)/krew $(KREW)
	mv $(TOOLS_BIN)/validate-krew-manifest $(VALIDATE_KREW)

$(GOLANGCI_LINT):
	@mkdir -p $(TOOLS_BIN)
	GOBIN=$(TOOLS_BIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(TOOLS_BIN)/golangci-lint $@
