// The Go models of the suite (workloads/<group>/<workload>/go.go) and the protocol package they
// share (common/go/protocol): standard library only, built offline by
// workloads/external_models.cmake (GOPROXY=off).
module corio/workloads

go 1.19
