{
  "targets": [
    {
      "target_name": "hexmap",
      "sources": [
        "native/addon.cc",
        "native/async_io.cc",
        "native/async_scan.cc",
        "native/fault_guard.cc",
        "native/js_error.cc",
        "native/mapped_file.cc",
        "native/scan_jobs.cc",
        "native/scans.cc",
        "native/textScans.cc",
        "native/utf8_stats.cc",
        "native/worker_thread.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-O3", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-psabi"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "MACOSX_DEPLOYMENT_TARGET": "10.15",
        "OTHER_CPLUSPLUSFLAGS": ["-O3", "-Wall", "-Wextra", "-Wno-unused-parameter"]
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "ExceptionHandling": 1, "WarningLevel": 4, "AdditionalOptions": ["/std:c++17", "/wd4100"] }
      },
      "conditions": [
        ["OS=='win'", {
          "defines": ["_WIN32_WINNT=0x0A00", "WIN32_LEAN_AND_MEAN", "NOMINMAX"]
        }]
      ]
    }
  ]
}
