/* embed.h - the BPF objects built from prog/, carried inside the binary
 * so that there is one file to copy onto a router. */
#ifndef XRM_EMBED_H
#define XRM_EMBED_H

/* The data path: prog/xdp_redirect_map.c. */
extern const unsigned char embed_obj_start[];
extern const unsigned char embed_obj_end[];

/* The tracepoint programs: prog/xdp_tracepoints.c. */
extern const unsigned char embed_tp_obj_start[];
extern const unsigned char embed_tp_obj_end[];

#endif
