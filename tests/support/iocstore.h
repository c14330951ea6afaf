/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iocstore.h - a sealed IOC store imported from plain-text indicators, for
 * tests of the matchers that consume one (sweep, live sweep). Not for
 * production; no file is read or written.
 */
#ifndef VG_TEST_IOCSTORE_H
#define VG_TEST_IOCSTORE_H

#include "vigil/ioc.h"

/* Imports text (one indicator a line, format "text") as if read from path,
 * under feed name feed (NULL: the importer's default), then seals. Returns
 * the store (caller frees with vg_ioc_store_free) or NULL on any error. */
struct vg_ioc_store *vg_iocstore_text(const char *path, const char *feed,
                                      const char *text);

#endif
