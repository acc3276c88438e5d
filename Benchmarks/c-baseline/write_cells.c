/*
 * The baseline for fleet-bench's workbook figure: a plain C program that writes the same cells through
 * libxlsxwriter as the Swift WorkbookWriter benchmark does (ROWS rows of 12 cells: 6 text, 5 numbers with a
 * money format, 1 date), in constant-memory mode, and prints its wall time and peak memory.
 *
 *   cc -O2 -o write_cells write_cells.c $(pkg-config --cflags --libs xlsxwriter)
 *   ./write_cells ROWS OUT.xlsx
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <xlsxwriter.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s ROWS OUT.xlsx\n", argv[0]);
        return 2;
    }
    long rows = atol(argv[1]);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);

    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    lxw_workbook *workbook = workbook_new_opt(argv[2], &options);
    lxw_worksheet *sheet = workbook_add_worksheet(workbook, "Register");
    lxw_format *money = workbook_add_format(workbook);
    format_set_num_format(money, "\"£\"#,##0");
    lxw_format *date = workbook_add_format(workbook);
    format_set_num_format(date, "yyyy-mm-dd");
    char text[64];
    for (long row = 0; row < rows; row++) {
        for (int column = 0; column < 6; column++) {
            snprintf(text, sizeof text, "R%ld-C%d text value", row, column);
            worksheet_write_string(sheet, (lxw_row_t)row, (lxw_col_t)column, text, NULL);
        }
        for (int column = 6; column < 11; column++) {
            worksheet_write_number(sheet, (lxw_row_t)row, (lxw_col_t)column, (double)(row * 11 + column) * 1.5, money);
        }
        worksheet_write_number(sheet, (lxw_row_t)row, 11, 40000.0 + (double)(row % 9000), date);
    }
    lxw_error status = workbook_close(workbook);
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (status != LXW_NO_ERROR) {
        fprintf(stderr, "write_cells: %s\n", lxw_strerror(status));
        return 1;
    }
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%.6f %ld\n", seconds, usage.ru_maxrss);
    return 0;
}
