/* xlsx.c — reading one sheet of an .xlsx workbook (see xlsx.h). */
#include "xlsx.h"

void wz_xlsx_column_name(unsigned col, char out[8])
{
    char tmp[8];
    int n = 0;
    while (col > 0 && n < 7) {
        col--;
        tmp[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

GString *wz_xlsx_sheet_csv(const char *buf, size_t len, const char *sheet, const char *file, char **sheet_used,
                           wz_diags *d)
{
    (void)buf;
    (void)len;
    (void)sheet;
    *sheet_used = NULL;
    wz_diag_plain(d, WZ_DIAG_FACTS, WZ_SEV_ERROR, file, "workbooks (.xlsx) are not read yet");
    return NULL;
}
