# Writes one man page with help2man from the program's own --help and
# --version output, so that the page cannot drift from the program:
#   cmake -DHELP2MAN=... -DPROGRAM=bin/echo-conformance -DNAME="one line"
#         -DINCLUDE=man/echo-conformance.h2m [-DSUBCOMMANDS=check,list,explain]
#         -DOUTPUT=man1/echo-conformance.1 -P make_man_page.cmake
# INCLUDE holds what --help does not say (examples, see also: help2man's
# --include format). Each subcommand's --help becomes a subsection of
# SUBCOMMANDS, verbatim.
cmake_minimum_required(VERSION 3.25)

get_filename_component(program_name ${PROGRAM} NAME)
set(include_file ${OUTPUT}.h2m)
file(READ ${INCLUDE} include_text)

if(SUBCOMMANDS)
  string(REPLACE "," ";" subcommands "${SUBCOMMANDS}")
  string(APPEND include_text "\n[SUBCOMMANDS]\n")
  foreach(subcommand IN LISTS subcommands)
    execute_process(COMMAND ${PROGRAM} ${subcommand} --help
                    OUTPUT_VARIABLE help RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "${program_name} ${subcommand} --help exited with ${status}")
    endif()
    # roff: a backslash is \e; a line must not begin with a control character.
    string(REPLACE "\\" "\\e" help "${help}")
    string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
    string(APPEND include_text ".SS \"${program_name} ${subcommand}\"\n.nf\n${help}.fi\n")
  endforeach()
endif()
file(WRITE ${include_file} "${include_text}")

execute_process(COMMAND ${HELP2MAN} --no-info --no-discard-stderr --section=1
                        --name=${NAME} --include=${include_file} --output=${OUTPUT} ${PROGRAM}
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "help2man failed for ${program_name} (${status})")
endif()
