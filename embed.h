/* embed.h - the BPF object built from prog/, carried inside the binary so
 * that there is one file to copy onto a router. */
#ifndef XRM_EMBED_H
#define XRM_EMBED_H

extern const unsigned char embed_obj_start[];
extern const unsigned char embed_obj_end[];

#endif
