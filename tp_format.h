/* tp_format.h - a tracepoint's record layout, read from its tracefs
 * "format" file. The layout of the xdp events changed between kernels
 * (xdp_devmap_xmit in 5.8), and RT kernels add common fields, so the
 * offsets come from the running kernel, never from our headers. Pure: no
 * syscall, no printing. */
#ifndef XRM_TP_FORMAT_H
#define XRM_TP_FORMAT_H

#include <stdint.h>

/* The offset of field name in a format text: 0 with *off_bytes set,
 * -ENOENT when there is no such field, -EINVAL when its line is
 * malformed, -EOPNOTSUPP when it is not size_bytes wide. */
int tp_format_field(const char *format, const char *name, uint32_t size_bytes,
		    uint32_t *off_bytes);

#endif
