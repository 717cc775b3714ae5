// Package kubernetes holds no code: its tests build the manifests beside
// it with kustomize and check them against the server they deploy.
package kubernetes
