/* A minimal HotSpot disassembler plugin (hsdis) that pipes the code bytes to objdump; see README.md. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
typedef void* (*event_cb)(void*, const char*, void*);
typedef int (*printf_cb)(void*, const char*, ...);
/* Disassembles through binutils' objdump (which knows every AVX-512 encoding). */
void* decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char* buffer, uintptr_t length,
                                  event_cb ev, void* ev_stream, printf_cb pf, void* pf_stream, const char* options, int newline) {
  char path[] = "/tmp/hsdisXXXXXX";
  int fd = mkstemp(path);
  FILE* f = fdopen(fd, "wb"); fwrite(buffer, 1, length, f); fclose(f);
  char cmd[512];
  snprintf(cmd, sizeof cmd, "objdump -D -b binary -mi386:x86-64 -M intel --adjust-vma=0x%lx %s | sed -n '/<.data>:/,$p' | tail -n +2", (unsigned long)start_va, path);
  FILE* p = popen(cmd, "r");
  char line[1024];
  while (fgets(line, sizeof line, p)) { line[strcspn(line, "\n")] = 0; pf(pf_stream, "%s", line); if (newline) pf(pf_stream, "\n"); }
  pclose(p); remove(path);
  return (void*)(start_va + length);
}
