# The version the programs print: project()'s, plus `git describe` when the
# source tree is a git checkout. Run at configure time only, and the header is
# rewritten only when its text changes (configure_file), so a commit or a
# reconfigure does not rebuild the tree: at most version.cc and the links.

function(echo_git_description out_var)
  set(description "")
  find_package(Git QUIET)
  if(GIT_FOUND AND EXISTS ${PROJECT_SOURCE_DIR}/.git)
    execute_process(COMMAND ${GIT_EXECUTABLE} describe --tags --always --dirty
                    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                    OUTPUT_VARIABLE description OUTPUT_STRIP_TRAILING_WHITESPACE
                    RESULT_VARIABLE status ERROR_QUIET)
    if(NOT status EQUAL 0)
      set(description "")
    endif()
  endif()
  set(${out_var} "${description}" PARENT_SCOPE)
endfunction()

function(echo_write_version_header path)
  echo_git_description(ECHO_GIT_DESCRIPTION)
  configure_file(${PROJECT_SOURCE_DIR}/core/version/version_info.h.in ${path} @ONLY)
  message(STATUS "echo-conformance version ${PROJECT_VERSION} (git: ${ECHO_GIT_DESCRIPTION})")
endfunction()
