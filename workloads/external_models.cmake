# The models in other languages that need building: every workloads/<group>/<workload>/go.go
# (Go, standard library only) and tokio.rs (Rust with tokio), into
# <build>/workloads/<group>/<workload>/go and .../tokio, where harness::go_model and
# harness::tokio_model (harness/external_model.hpp) start them. Target: external_models (part
# of the default build).
#
# Both toolchains are Debian's, found in /usr/bin on purpose: a go or cargo earlier on PATH may
# be another install (rustup's cargo writes lock files Debian's refuses). Nothing is fetched:
# Go runs with GOPROXY=off and only the standard library; cargo runs offline with a CARGO_HOME
# of its own whose config.toml (common/rust/cargo-config.toml) replaces crates.io with Debian's
# crate directory. A missing toolchain skips its models here with one line naming the package;
# the rows stay registered, so a run that selects them fails with the same line (never a
# silent skip), and every other model builds as usual.

set(external_outputs "")

find_program(CORIO_GO go PATHS /usr/bin NO_DEFAULT_PATH)
file(GLOB go_models CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*/*/go.go)
file(GLOB go_protocol CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/common/go/*/*.go)
if(NOT CORIO_GO OR NOT EXISTS "${CORIO_GO}")
  set(go_looked_for "${CORIO_GO}")  # -DCORIO_GO=PATH, or Debian's /usr/bin/go when unset
  if(NOT CORIO_GO)
    set(go_looked_for /usr/bin/go)
  endif()
  message(STATUS "go models not built: no go program at ${go_looked_for} (install golang-go: scripts/install_deps.sh)")
else()
  foreach(source IN LISTS go_models)
    file(RELATIVE_PATH relative ${CMAKE_CURRENT_SOURCE_DIR} ${source})  # io/tcp_echo/go.go
    get_filename_component(folder ${relative} DIRECTORY)
    set(program ${CMAKE_CURRENT_BINARY_DIR}/${folder}/go)
    add_custom_command(
      OUTPUT ${program}
      COMMAND ${CMAKE_COMMAND} -E env GOCACHE=${CMAKE_CURRENT_BINARY_DIR}/go-cache
              GOPATH=${CMAKE_CURRENT_BINARY_DIR}/go-path GOPROXY=off GOFLAGS=-mod=mod
              GO111MODULE=on ${CORIO_GO} build -trimpath -o ${program} ./${relative}
      WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
      DEPENDS ${source} ${go_protocol} ${CMAKE_CURRENT_SOURCE_DIR}/go.mod
      COMMENT "go build workloads/${relative}"
      VERBATIM)
    list(APPEND external_outputs ${program})
  endforeach()
endif()

find_program(CORIO_CARGO cargo PATHS /usr/bin NO_DEFAULT_PATH)
find_program(CORIO_RUSTC rustc PATHS /usr/bin NO_DEFAULT_PATH)
file(GLOB tokio_models CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*/*/tokio.rs)
# The corio_model library every model links: model_protocol.rs and its modules beside it.
file(GLOB tokio_library CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/common/rust/*.rs)
# Debian's crate directory: librust-tokio-dev and librust-serde-json-dev put them there.
file(GLOB tokio_crate /usr/share/cargo/registry/tokio-1.*)
file(GLOB serde_json_crate /usr/share/cargo/registry/serde_json-1.*)
if(NOT CORIO_CARGO OR NOT EXISTS "${CORIO_CARGO}" OR NOT CORIO_RUSTC OR NOT EXISTS "${CORIO_RUSTC}"
   OR NOT tokio_crate OR NOT serde_json_crate)
  message(STATUS "tokio models not built: Debian's cargo, rustc, tokio or serde_json crate is missing "
                 "(install cargo, rustc, librust-tokio-dev, librust-serde-json-dev: scripts/install_deps.sh)")
elseif(tokio_models)
  # One cargo package for every tokio model: tokio is compiled once (~40 s from clean), and
  # each model is a [[bin]] named <group>-<workload> over its source file in the tree.
  set(rust_dir ${CMAKE_CURRENT_BINARY_DIR}/rust)
  set(bins "")
  set(copies "")
  foreach(source IN LISTS tokio_models)
    file(RELATIVE_PATH relative ${CMAKE_CURRENT_SOURCE_DIR} ${source})  # io/tcp_echo/tokio.rs
    get_filename_component(folder ${relative} DIRECTORY)
    string(REPLACE "/" "-" bin ${folder})
    string(APPEND bins "\n[[bin]]\nname = \"${bin}\"\npath = \"${source}\"\n")
    set(program ${CMAKE_CURRENT_BINARY_DIR}/${folder}/tokio)
    list(APPEND copies COMMAND ${CMAKE_COMMAND} -E copy ${rust_dir}/target/release/${bin} ${program})
    list(APPEND external_outputs ${program})
  endforeach()
  file(CONFIGURE OUTPUT ${rust_dir}/Cargo.toml CONTENT [[
# Written by workloads/external_models.cmake: edit that file, not this one.
[package]
name = "corio-tokio-models"
version = "0.1.0"
edition = "2021"
publish = false

[lib]
name = "corio_model"
path = "@CMAKE_CURRENT_SOURCE_DIR@/common/rust/model_protocol.rs"

[dependencies]
tokio = { version = "1.24", features = ["rt", "rt-multi-thread", "macros", "sync", "time", "net", "io-util"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[profile.release]
codegen-units = 1
@bins@]] @ONLY)
  configure_file(${CMAKE_CURRENT_SOURCE_DIR}/common/rust/cargo-config.toml
                 ${rust_dir}/cargo-home/config.toml COPYONLY)
  set(tokio_programs ${external_outputs})
  list(FILTER tokio_programs INCLUDE REGEX "/tokio$")
  add_custom_command(
    OUTPUT ${tokio_programs}
    COMMAND ${CMAKE_COMMAND} -E env CARGO_HOME=${rust_dir}/cargo-home
            CARGO_TARGET_DIR=${rust_dir}/target RUSTC=${CORIO_RUSTC} ${CORIO_CARGO} build
            --release --offline --quiet --manifest-path ${rust_dir}/Cargo.toml
    ${copies}
    WORKING_DIRECTORY ${rust_dir}
    DEPENDS ${tokio_models} ${tokio_library} ${rust_dir}/Cargo.toml
    COMMENT "cargo build --release: the tokio models (${rust_dir})"
    VERBATIM)
endif()

add_custom_target(external_models ALL DEPENDS ${external_outputs})
