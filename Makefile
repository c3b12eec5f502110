# kubectl-karmada: build, test and run a local multi-cluster environment.
# `make help` lists the targets.

SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec
.DEFAULT_GOAL := help

# Tool versions are pinned here; each is installed into bin/tools on first use.
CONTROLLER_GEN_VERSION ?= v0.23.0
GOLANGCI_LINT_VERSION  ?= v2.15.0

BIN        := $(CURDIR)/bin
TOOLS_BIN  := $(BIN)/tools
CONTROLLER_GEN := $(TOOLS_BIN)/controller-gen-$(CONTROLLER_GEN_VERSION)
GOLANGCI_LINT  := $(TOOLS_BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)

VERSION    ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
GIT_COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
BUILD_DATE ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
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

##@ Test

.PHONY: tools
tools: ## Build the pinned upstream binaries for local clusters (cached)
	@test/tools/install.sh >/dev/null

# -count=1: the end-to-end tests build and run the controllers binary
# themselves, which go test cannot see; a cached pass would be stale.
.PHONY: test
test: tools ## Run unit tests and the tests against real local clusters
	KARMADA_LOCAL_BIN=$$(test/tools/install.sh) go test -count=1 -timeout 30m $(GO_TEST_FLAGS) ./...

# How many Deployments make bench creates.
BENCH_N ?= 100

.PHONY: bench
bench: tools ## Measure propagating BENCH_N Deployments (default 100) on fresh local clusters
	go run ./test/bench -n $(BENCH_N)

.PHONY: bench-scheduler
bench-scheduler: ## Go benchmarks of the pure scheduling functions
	go test ./internal/scheduling/ -run '^$$' -bench . -benchmem

.PHONY: image
image: ## Build the karmada-controllers image that init deploys (needs Docker): make image IMG=registry/name:tag
	docker build --build-arg VERSION=$(VERSION) -t $(or $(IMG),ghcr.io/kubectl-karmada/karmada-controllers:$(VERSION)) .

.PHONY: bench-tui
bench-tui: ## Go benchmarks of the terminal UI (a frame and the heap with 5,000 bindings)
	go test ./tui/ -run '^$$' -bench . -benchmem -benchtime 20x

.PHONY: bench-floor
bench-floor: tools ## Measure what the members alone need for the same work
	go run ./test/bench -n $(BENCH_N) -floor

##@ Local environment

.PHONY: local-up
local-up: tools ## Start the control plane and member1..3 locally (idempotent)
	go run ./test/localup up

.PHONY: local-down
local-down: ## Remove everything local-up made (idempotent)
	go run ./test/localup down

.PHONY: demo
demo: build local-up ## Start the local clusters and take a short tour
	test/demo.sh

$(CONTROLLER_GEN):
	@mkdir -p $(TOOLS_BIN)
	GOBIN=$(TOOLS_BIN) go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_GEN_VERSION)
	mv $(TOOLS_BIN)/controller-gen $@

$(GOLANGCI_LINT):
	@mkdir -p $(TOOLS_BIN)
	GOBIN=$(TOOLS_BIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(TOOLS_BIN)/golangci-lint $@
