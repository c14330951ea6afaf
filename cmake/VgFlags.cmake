# SPDX-License-Identifier: Apache-2.0
# All compiler and linker flags live in one INTERFACE target, vg_flags, that every
# Vigil target links. Nothing here is global, so third-party code is untouched.
add_library(vg_flags INTERFACE)

target_compile_definitions(vg_flags INTERFACE _DEFAULT_SOURCE)
target_compile_options(vg_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wold-style-definition -Wformat=2 -Wvla -Wimplicit-fallthrough -Wcast-qual
  -Wpointer-arith -Wundef -Wwrite-strings -Wconversion -Wsign-conversion
  -Wnull-dereference -fvisibility=hidden)
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  target_compile_options(vg_flags INTERFACE -Wduplicated-cond -Wlogical-op)
elseif(CMAKE_C_COMPILER_ID MATCHES "Clang")
  target_compile_options(vg_flags INTERFACE -Wcomma -Wunreachable-code)
endif()
if(VG_WERROR)
  target_compile_options(vg_flags INTERFACE -Werror)
endif()

# Hardening. FORTIFY needs optimisation; sanitizer builds skip it (ASan replaces
# the same checks and FORTIFY's wrappers confuse its reports).
target_compile_options(vg_flags INTERFACE
  -fstack-protector-strong -fstack-clash-protection -fcf-protection)
target_link_options(vg_flags INTERFACE
  -Wl,-z,relro,-z,now,-z,noexecstack)
if(NOT VG_SANITIZE AND NOT VG_FUZZ)
  target_compile_options(vg_flags INTERFACE
    $<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3>)
  target_link_options(vg_flags INTERFACE -pie)
endif()

if(VG_SANITIZE)
  target_compile_options(vg_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(vg_flags INTERFACE -fsanitize=address,undefined)
endif()
if(VG_FUZZ)
  target_compile_options(vg_flags INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
  target_link_options(vg_flags INTERFACE -fsanitize=address,undefined)
endif()
if(VG_ARENA_DEBUG)
  target_compile_definitions(vg_flags INTERFACE VG_ARENA_DEBUG=1)
endif()
