Attribute VB_Name = "modHitungCapaian"
' Modul tombol "Hitung Capaian": memanggil Python melalui xlwings RunPython.
' Sumber modul ini disimpan sebagai teks; vbaProject.bin dibangun ulang saat generate.
Option Explicit

Sub HitungCapaian()
    RunPython "import workbook_gen.excel.tombol as m; m.main()"
End Sub
