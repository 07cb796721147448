au BufRead,BufNewFile *.wz setfiletype wenze
